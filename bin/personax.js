#!/usr/bin/env node
// The `personax` command. The installed package runs the compiled CLI (dist/). A source checkout (src/ next
// to bin/, tsx installed) runs the TypeScript directly, so edits need no rebuild; PERSONAX_DIST=1 makes a
// checkout run its dist/ build instead (bench/cli-start.bench.ts times that).
import { existsSync } from "node:fs";

const source = new URL("../src/cli/main.ts", import.meta.url);
if (process.env.PERSONAX_DIST !== "1" && existsSync(source) && (await registerTsx())) await import(source.href);
else await import("../dist/cli/main.js");

async function registerTsx() {
  try {
    (await import("tsx/esm/api")).register();
    return true;
  } catch {
    return false;
  }
}

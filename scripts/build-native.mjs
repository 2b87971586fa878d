// Builds the optional OpenBLAS addon in native/ during `npm ci`. Never fails the install: without a
// compiler or OpenBLAS, PersonaX runs on its portable TypeScript fallback and announces it once.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nativeDir = join(root, "native");
if (!existsSync(join(nativeDir, "binding.gyp"))) process.exit(0);
const nodeGyp = join(root, "node_modules", "node-gyp", "bin", "node-gyp.js");
if (!existsSync(nodeGyp)) {
  console.error("personax: node-gyp not installed; skipping the native addon (portable fallback in use).");
  process.exit(0);
}
// Use the headers installed with Node itself (Debian's nodejs ships them in <prefix>/include/node) so that
// node-gyp does not try to download them from nodejs.org, which is not reachable from every machine.
const prefix = join(dirname(process.execPath), "..");
const localHeaders = existsSync(join(prefix, "include", "node", "common.gypi"));
const args = [nodeGyp, "rebuild", ...(localHeaders ? [`--nodedir=${prefix}`] : [])];
const result = spawnSync(process.execPath, args, { cwd: nativeDir, stdio: ["ignore", "ignore", "pipe"] });
if (result.status !== 0) {
  console.error("personax: native addon did not build; the portable fallback will be used.");
  console.error(String(result.stderr ?? "").split("\n").slice(-15).join("\n"));
}

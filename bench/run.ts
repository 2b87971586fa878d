/**
 * `npm run bench -- <name> [<name> …]`: runs bench/<name>.bench.ts (its default export returns a JSON-able
 * object) and writes bench/results/<name>.json. With no name, lists the benchmarks.
 */
import { readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here).filter((f) => f.endsWith(".bench.ts")).map((f) => f.replace(/\.bench\.ts$/, ""));
const names = process.argv.slice(2).filter((a) => !a.startsWith("-"));
if (names.length === 0) {
  console.log(`usage: npm run bench -- <name>…\navailable: ${available.join(", ") || "(none)"}`);
  process.exit(0);
}
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`no benchmark "${name}"; available: ${available.join(", ")}`);
    process.exit(2);
  }
  const module = (await import(join(here, `${name}.bench.ts`))) as { default: () => Promise<Record<string, unknown>> };
  const started = new Date();
  const result = await module.default();
  const record = {
    benchmark: name,
    started: started.toISOString(),
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gib: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version },
    ...result,
  };
  const out = join(here, "results", `${name}.json`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify(record, null, 2) + "\n");
  console.log(`wrote ${out}`);
}

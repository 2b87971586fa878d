/**
 * Must-show 3 of issue 2: the peak memory of importing a 1,000,000-row CSV.
 *
 * Generates a synthetic CelebPersona-like CSV (40 columns: biography, 10 facial attributes, three LLMs × five
 * traits, five finals; MCAR missing values) with `personax synth table`'s generator, then imports it into a
 * fresh store in a child process that reports its own peak RSS (process.resourceUsage().maxRSS; /usr/bin/time
 * is not guaranteed to exist). A baseline child that only opens the store separates Node + DuckDB start-up from
 * the import itself, and a 250,000-row run shows how the peak grows with the row count.
 *   npm run bench -- import                       (PERSONAX_BENCH_ROWS=… to change the sizes)
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { synthPersonaTable } from "../src/synth/persona-table.ts";
import { writeTableCsv } from "../src/dataset/write-csv.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const tsx = join(here, "..", "node_modules", ".bin", "tsx");

interface ChildResult { persons: number; seconds: number; peakRssMiB: number }

function child(csv: string, store: string, memoryLimit: string, baseline = false): ChildResult {
  const out = execFileSync(tsx, [join(here, "import-child.ts"), csv, store, memoryLimit, ...(baseline ? ["--baseline"] : [])], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!) as ChildResult;
}

export default async function importBench(): Promise<Record<string, unknown>> {
  const sizes = (process.env["PERSONAX_BENCH_ROWS"] ?? "250000,1000000").split(",").map(Number);
  const memoryLimits = (process.env["PERSONAX_BENCH_MEMORY_LIMITS"] ?? "256MB,-").split(",");
  const dir = await mkdtemp(join(tmpdir(), "personax-import-bench-"));
  const runs: Array<Record<string, unknown>> = [];
  try {
    for (const n of sizes) {
      const csv = join(dir, `celeb_${n}.csv`);
      const t0 = performance.now();
      await writeTableCsv(synthPersonaTable({ flavour: "celeb", n, seed: 1, scale: "llm" }), csv);
      const generateSeconds = (performance.now() - t0) / 1000;
      const bytes = (await stat(csv)).size;
      for (const limit of memoryLimits) {
        const store = join(dir, `store_${n}_${limit}.duckdb`);
        const baseline = child(csv, join(dir, `baseline_${n}.duckdb`), limit, true);
        const result = child(csv, store, limit);
        const storeBytes = (await stat(store)).size;
        const run = {
          rows: n, csv_mib: +(bytes / 2 ** 20).toFixed(1), columns: 41, duckdb_memory_limit: limit === "-" ? "default (80% of RAM)" : limit,
          import_seconds: +result.seconds.toFixed(2), peak_rss_mib: +result.peakRssMiB.toFixed(1),
          baseline_peak_rss_mib: +baseline.peakRssMiB.toFixed(1), store_mib: +(storeBytes / 2 ** 20).toFixed(1), generate_csv_seconds: +generateSeconds.toFixed(1),
        };
        console.log(JSON.stringify(run));
        runs.push(run);
        await rm(store, { force: true });
        await rm(`${store}.wal`, { force: true });
      }
      await rm(csv, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { note: "peak RSS of the importing child process; baseline = a child that only opens the store", runs };
}

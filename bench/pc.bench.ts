/**
 * `npm run bench -- pc`: PC-stable on the fixture datasets, timed against causal-learn's PC timings in
 * test/fixtures/reference-timings.json (`pc.runs`, same data, test and alpha on the 2-core reference box).
 * Each run records our seconds (median of repeats for sub-second runs; CI-test preparation included, as
 * the reference's pc() call builds its CIT object), the ratio to the reference, whether our edges equal
 * the reference's, and for slower runs the time with 2 worker threads. Runs whose reference takes more
 * than 60 s, or whose test is not in the registry, are listed as skipped; `-- pc --full` runs them all.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readTable } from "../src/dataset/read-table.ts";
import { ciTestNames } from "../src/discovery/ci-tests.ts";
import { runPc, runPcParallel } from "../src/discovery/run-pc.ts";
import { fromColumns } from "../src/linalg/matrix.ts";

const fixtures = new URL("../test/fixtures/", import.meta.url).pathname;
const athleNodes = ["final_o", "final_c", "final_e", "final_a", "final_n", "Birthyear", "Birthmonth", "Birthday", "Type", "Latitude", "Longitude", "Height", "Weight"];
const datasets: Record<string, { csv: string; nodes: string[] }> = {
  "lingauss/2000": { csv: "data/lingauss_n2000_s0.csv", nodes: ["X1", "X2", "X3", "X4", "X5", "X6"] },
  "nonlinear/500": { csv: "data/nonlinear_n500_s0.csv", nodes: ["X1", "X2", "X3", "X4", "X5", "X6"] },
  "discrete/2000": { csv: "data/discrete_n2000_s0.csv", nodes: ["X1", "X2", "X3", "X4", "X5", "X6"] },
  "persona/1532": { csv: "data/athle_n2000_s0.csv", nodes: athleNodes },
};

interface ReferenceRun { dataset: string; "n used": string | number; test: string; seconds: string; "CI tests": string; edges: string }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function bench(): Promise<Record<string, unknown>> {
  const full = process.argv.includes("--full");
  const reference = JSON.parse(readFileSync(join(fixtures, "reference-timings.json"), "utf8")).pc as { runs: ReferenceRun[]; machine: unknown };
  const runs: Array<Record<string, unknown>> = [];
  for (const ref of reference.runs) {
    const key = `${ref.dataset}/${ref["n used"]}`;
    const refSeconds = Number(ref.seconds);
    const base = { dataset: ref.dataset, rows: Number(ref["n used"]), test: ref.test, reference_seconds: refSeconds, reference_ci_tests: Number(ref["CI tests"]) };
    const ds = datasets[key];
    if (!ds) { runs.push({ ...base, skipped: `no dataset mapping for ${key}` }); continue; }
    if (!(ciTestNames as string[]).includes(ref.test)) { runs.push({ ...base, skipped: `CI test "${ref.test}" is not in the registry` }); continue; }
    if (refSeconds > 60 && !full) { runs.push({ ...base, skipped: "reference takes more than 60 s; run with --full" }); continue; }
    const table = await readTable(join(fixtures, ds.csv), { columns: ds.nodes });
    const data = fromColumns(ds.nodes.map((n) => table.columns[n] as Float64Array));
    const options = { test: ref.test, alpha: 0.05, nodeNames: ds.nodes };
    try {
      // Wall time of the whole call (runPc's own `seconds` leaves out preparing the test).
      const timed = () => { const t0 = performance.now(); const r = runPc(data, options); return { r, s: (performance.now() - t0) / 1000 }; };
      const { r: first, s: firstSeconds } = timed();
      const times = [firstSeconds];
      for (let r = 0; r < (refSeconds < 1 ? 15 : 0); r++) times.push(timed().s);
      const ours = median(times);
      const edgesEqual = JSON.stringify(first.graph.edgeStrings().sort()) === JSON.stringify(ref.edges.split("; ").sort());
      const record: Record<string, unknown> = {
        ...base, seconds: +ours.toFixed(4), ratio_to_reference: refSeconds > 0 ? +(ours / refSeconds).toFixed(3) : null,
        ci_tests: first.uniqueTests, edges_equal_reference: edgesEqual, rows_used: first.rowsUsed,
      };
      if (refSeconds >= 1) {
        const t1 = performance.now();
        const parallel = await runPcParallel(data, { ...options, threads: 2 });
        record.seconds_2_threads = +((performance.now() - t1) / 1000).toFixed(3);
        record.parallel_equals_sequential = parallel.graph.equals(first.graph) && JSON.stringify(parallel.tests) === JSON.stringify(first.tests);
      }
      runs.push(record);
      console.error(`${key} ${ref.test}: ${ours.toFixed(3)} s (reference ${refSeconds} s), edges equal: ${edgesEqual}`);
    } catch (error) {
      runs.push({ ...base, skipped: `failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return { reference_machine: reference.machine, note: "seconds = median wall time of runPc (test preparation + PC); timings on a shared machine are pessimistic", runs };
}

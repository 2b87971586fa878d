/**
 * Writes the two small cases of test/discovery/pc-differences.test.ts (test/fixtures/pc-differences/):
 * linear-Gaussian data that PersonaX generates (random DAG, fixed seed) on which causal-learn's PC and
 * ours differ, one per cause documented in docs/PC.md. With CAUSAL_LEARN_PYTHONPATH set it also runs
 * causal-learn (bench/pc-peer-causallearn.py) on each CSV and stores its graph next to the data.
 * Usage: tsx bench/pc-peer-fixtures.ts
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomDagWithArcs, sampleLinearGaussian } from "../src/discovery/random-dag.ts";
import { Rng } from "../src/util/rng.ts";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "../test/fixtures/pc-differences");

/** seed, nodes, arcs: found by searching seeds for graphs on which the two modes differ. */
export const differenceCases = [
  { name: "a_fisherz_underflow", seed: 65, nodes: 5, arcs: 7, rows: 2000, test: "fisherz", ucRule: 1, ucPriority: -1 },
  { name: "b_meek_ancestor_table", seed: 76, nodes: 6, arcs: 12, rows: 2000, test: "fisherz", ucRule: 0, ucPriority: 2 },
] as const;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(out, { recursive: true });
  for (const c of differenceCases) {
    const rng = new Rng(c.seed);
    const dag = randomDagWithArcs(c.nodes, c.arcs, rng, 3);
    const { data } = sampleLinearGaussian(dag, c.rows, rng);
    const lines = [dag.nodes.join(",")];
    for (let r = 0; r < data.rows; r++) lines.push(Array.from(data.data.subarray(r * data.cols, (r + 1) * data.cols), (v) => String(+v.toPrecision(10))).join(","));
    const csv = join(out, `${c.name}.csv`);
    writeFileSync(csv, lines.join("\n") + "\n");
    const record: Record<string, unknown> = { ...c, true_dag: dag.toCausalLearn() };
    const clPath = process.env.CAUSAL_LEARN_PYTHONPATH;
    if (clPath) {
      const run = spawnSync(process.env.CAUSAL_LEARN_PYTHON ?? "/usr/bin/python3",
        [join(here, "pc-peer-causallearn.py"), csv, c.test, String(c.ucRule), String(c.ucPriority), "none"],
        { env: { ...process.env, PYTHONPATH: clPath, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" }, encoding: "utf8" });
      if (run.status !== 0) throw new Error(run.stderr);
      record.causal_learn = {
        version: "0.1.4.7 (github.com/py-why/causal-learn @ e30895b7ad41c429be73975a6a0b6bdea8146a7e)",
        call: `pc(np.loadtxt(csv, delimiter=',', skiprows=1), 0.05, ${c.test}, True, ${c.ucRule}, ${c.ucPriority})`,
        graph: JSON.parse(run.stdout.trim().split("\n").pop()!).graph,
      };
    }
    writeFileSync(join(out, `${c.name}.json`), JSON.stringify(record, null, 1) + "\n");
    console.log(`wrote ${csv}`);
  }
}

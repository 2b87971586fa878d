import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { dSeparationOracle } from "../../src/discovery/d-separation.ts";
import { randomDag, sampleLinearGaussian } from "../../src/discovery/random-dag.ts";
import { prepareRegistryTest } from "../../src/discovery/ci-tests.ts";
import { canonicalQuery } from "../../src/discovery/pc/ci-runner.ts";
import { runPc, runPcParallel } from "../../src/discovery/run-pc.ts";
import { readNumericColumns } from "../../src/discovery/discover.ts";
import { fromColumns } from "../../src/linalg/matrix.ts";
import { readTable } from "../../src/dataset/read-table.ts";
import { Rng } from "../../src/util/rng.ts";
import { fixtureRoot } from "./fixtures.ts";

function sameRun(a: ReturnType<typeof runPc>, b: ReturnType<typeof runPc>): void {
  assert.deepEqual(b.graph.toCausalLearn(), a.graph.toCausalLearn());
  assert.deepEqual(b.tests, a.tests);
  assert.deepEqual([...b.sepsets], [...a.sepsets]);
  assert.equal(b.uniqueTests, a.uniqueTests);
}

test("runPcParallel with 2 and 3 threads gives the same graph, sepsets and test log as runPc (d-separation oracle, 2 DAGs of 14 nodes)", async () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 2; trial++) {
    const dag = randomDag(14, 0.25, rng);
    const { data } = sampleLinearGaussian(dag, 20, rng);
    const spec = { kind: "dsep" as const, dag: dag.toCausalLearn(), nodes: [...dag.nodes] };
    const sequential = runPc(data, { test: dSeparationOracle(dag), nodeNames: dag.nodes });
    assert.ok(sequential.tests.length > 100);
    for (const threads of [2, 3]) {
      sameRun(sequential, await runPcParallel(data, { test: dSeparationOracle(dag), spec, threads, nodeNames: dag.nodes }));
    }
  }
});

test("runPcParallel with fisherz on athle_n2000_s0 (13 columns, NaN rows dropped) equals runPc", async () => {
  const nodes = ["final_o", "final_c", "final_e", "final_a", "final_n", "Birthyear", "Birthmonth", "Birthday", "Type", "Latitude", "Longitude", "Height", "Weight"];
  const { data } = await readNumericColumns(join(fixtureRoot, "data/athle_n2000_s0.csv"), nodes);
  const sequential = runPc(data, { test: "fisherz", nodeNames: nodes });
  assert.equal(sequential.rowsUsed, 1532);
  sameRun(sequential, await runPcParallel(data, { test: "fisherz", threads: 2, nodeNames: nodes }));
});

test("runPcParallel with the randomized rcit equals runPc: each query draws from its own seed, so order and threads do not matter", async () => {
  const nodes = ["X1", "X2", "X3", "X4", "X5", "X6"];
  const table = await readTable(join(fixtureRoot, "data/nonlinear_n500_s0.csv"), { columns: nodes });
  const data = fromColumns(nodes.map((n) => table.columns[n] as Float64Array));
  const sequential = runPc(data, { test: "rcit", nodeNames: nodes, depth: 0 });
  sameRun(sequential, await runPcParallel(data, { test: "rcit", nodeNames: nodes, depth: 0, threads: 2 }));
  // Asking the same queries in reverse order gives the same p-values.
  const query = prepareRegistryTest("rcit", data);
  for (const t of [...sequential.tests].reverse()) {
    const q = canonicalQuery(t.x, t.y, t.S); // PC asks every test in canonical form (x < y), as causal-learn's CIT does
    assert.equal(query(q.x, q.y, q.S).pValue, t.p);
  }
});

test("runPc/runPcParallel onProgress: per depth, 0 of the depth's distinct tests, then up to all of them; the counts add up to uniqueTests", async () => {
  const rng = new Rng(11);
  const dag = randomDag(10, 0.3, rng);
  const { data } = sampleLinearGaussian(dag, 20, rng);
  const spec = { kind: "dsep" as const, dag: dag.toCausalLearn(), nodes: [...dag.nodes] };
  for (const parallel of [false, true]) {
    const calls: Array<[number, number, string]> = [];
    const onProgress = (done: number, total: number, note?: string) => void calls.push([done, total, note ?? ""]);
    const result = parallel
      ? await runPcParallel(data, { test: dSeparationOracle(dag), nodeNames: dag.nodes, threads: 2, spec, onProgress })
      : runPc(data, { test: dSeparationOracle(dag), nodeNames: dag.nodes, onProgress });
    const depths = [...new Set(calls.map((c) => c[2]))];
    assert.deepEqual(depths, Array.from({ length: result.depth + 1 }, (_, d) => `depth ${d}`), `parallel ${parallel}`);
    let sum = 0;
    for (const depth of depths) {
      const mine = calls.filter((c) => c[2] === depth);
      assert.equal(mine[0]![0], 0, "a depth starts at 0");
      assert.ok(mine.every((c) => c[1] === mine[0]![1] && c[0] <= c[1]), "one total per depth, never exceeded");
      assert.equal(mine.at(-1)![0], mine[0]![1], `${depth} ends with every test answered`);
      sum += mine[0]![1];
    }
    // Orientation asks no new test with the default collider rule, so the skeleton's tests are all of them.
    assert.equal(sum, result.uniqueTests, `parallel ${parallel}`);
  }
});

test("prepareRegistryTest(rcit): seeds that differ only above 2^32 give different draws; a seed gives the same p-value in every preparation", () => {
  const rng = new Rng(3);
  const data = fromColumns([Float64Array.from(rng.normals(200)), Float64Array.from(rng.normals(200)), Float64Array.from(rng.normals(200))]);
  const p = (seed: number) => prepareRegistryTest("rcit", data, { seed })(0, 1, [2]).pValue;
  assert.notEqual(p(5), p(2 ** 32 + 5));
  assert.equal(p(5), p(5));
});

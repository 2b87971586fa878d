import { test } from "node:test";
import assert from "node:assert/strict";
import { bootstrapPc, edgeTypeOf, resampleRows } from "../../src/discovery/bootstrap.ts";
import { prepareRegistryTest } from "../../src/discovery/ci-tests.ts";
import { dagToCpdag } from "../../src/discovery/cpdag.ts";
import { randomDag, sampleLinearGaussian } from "../../src/discovery/random-dag.ts";
import { pc } from "../../src/discovery/pc/pc.ts";
import { Rng } from "../../src/util/rng.ts";

test("bootstrapPc: frequencies sum to 1 per pair, replicates are reproducible and independent of B, strong edges are stable", () => {
  const rng = new Rng(11);
  const dag = randomDag(6, 0.4, rng.fork(0));
  const { data } = sampleLinearGaussian(dag, 1500, rng.fork(1));
  const prepare = (d: typeof data) => prepareRegistryTest("fisherz", d);
  const a = bootstrapPc(data, dag.nodes, prepare, { replicates: 8, rng: new Rng(5) });
  const b = bootstrapPc(data, dag.nodes, prepare, { replicates: 8, rng: new Rng(5) });
  assert.deepEqual(a.pairs, b.pairs);
  for (const p of a.pairs) assert.ok(Math.abs(Object.values(p.frequency).reduce((s, v) => s + v, 0) - 1) < 1e-12);
  // Replicate b resamples with rng.fork(b), whatever B is: a 1-replicate run is PC on fork(0)'s resample.
  const one = bootstrapPc(data, dag.nodes, prepare, { replicates: 1, rng: new Rng(5) });
  const first = pc(dag.nodes, prepare(resampleRows(data, new Rng(5).fork(0)))).graph;
  assert.ok(one.consensus.equals(first));
  // 1500 rows of linear-Gaussian data: the consensus keeps the true adjacencies.
  const truth = dagToCpdag(dag);
  for (const p of a.pairs) {
    const i = dag.index(p.a), j = dag.index(p.b);
    if (truth.adjacent(i, j)) assert.notEqual(p.consensus, "none", `${p.a}–${p.b}`);
    assert.equal(edgeTypeOf(a.consensus, i, j), p.consensus);
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { blockOrder, learnedLatentGraph, orientWithinBlocks } from "../../src/crl/latent-graph.ts";
import { CrlModel } from "../../src/crl/model.ts";
import type { Matrix } from "../../src/linalg/matrix.ts";
import { Rng } from "../../src/util/rng.ts";

// Latents [y, x | w]: block 0 holds x → y (additive noise, nonlinear) with the child in the first slot,
// block 1 holds w, a child of x. The gate can only say slot 0 → slot 1, i.e. y → x.
function latents(n: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const data = new Float64Array(n * 3);
  for (let r = 0; r < n; r++) {
    const x = rng.normal();
    const y = Math.tanh(2 * x) * 1.5 + 0.4 * rng.normal();
    const w = 0.8 * x * x + 0.5 * rng.normal();
    data.set([y, x, w], r * 3);
  }
  return { rows: n, cols: 3, data };
}
const owner = [0, 0, 1];
const gate = [[0, 1, 0], [0, 0, 1], [0, 0, 0]]; // y → x (wrong way round), x → w

test("blockOrder puts the additive-noise parent of a block before its child, blocks in owner order", () => {
  for (const seed of [1, 2, 3]) assert.deepEqual(blockOrder(latents(800, seed), owner), [1, 0, 2], `seed ${seed}`);
  // The same data with the slots swapped: the order follows the variables, not the slots.
  const swapped = latents(800, 1);
  for (let r = 0; r < swapped.rows; r++) [swapped.data[r * 3], swapped.data[r * 3 + 1]] = [swapped.data[r * 3 + 1]!, swapped.data[r * 3]!];
  assert.deepEqual(blockOrder(swapped, owner), [0, 1, 2]);
});

test("orientWithinBlocks re-orients the edges inside a block and keeps the edges between blocks", () => {
  const out = orientWithinBlocks(gate, latents(800, 4), owner);
  assert.deepEqual(out, [[0, 0, 0], [1, 0, 1], [0, 0, 0]]); // x → y, x → w
  assert.throws(() => orientWithinBlocks(gate, latents(10, 1), [0, 0]), RangeError);
});

test("learnedLatentGraph: default mode orients by residual independence, faithful keeps the gate's index order", () => {
  const config = { modalities: [{ name: "a", inputDim: 4, latentDim: 2 }, { name: "b", inputDim: 4, latentDim: 1 }], hidden: [4] };
  for (const mode of ["default", "faithful"] as const) {
    const model = new CrlModel({ ...config, mode, edgeThreshold: 0 }, new Rng(1));
    // Every candidate edge present (A's init is 0.5 off the diagonal): y → x, y → w, x → w in slot order.
    const graph = learnedLatentGraph(model, latents(800, 5));
    assert.deepEqual(graph, mode === "default" ? [[0, 0, 1], [1, 0, 1], [0, 0, 0]] : [[0, 1, 1], [0, 0, 1], [0, 0, 0]]);
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor } from "../../src/nn/tensor.ts";
import { Rng } from "../../src/util/rng.ts";
import { pairwiseSquaredDistances, symmetricInfoNce } from "../../src/crl/baselines/infonce.ts";
import { concatBlocks, fitScale, scaleBlock } from "../../src/crl/baselines/common.ts";
import { MNIST_METHOD_NAMES, mnistMethods, runMnistMethod } from "../../src/crl/baselines/index.ts";
import { generateVariantMnist } from "../../src/synth/variant-mnist.ts";
import { loadFashionItems, loadMnistDigits } from "../../src/synth/mnist-sources.ts";
import { gradCheck, randomTensor } from "../nn/gradcheck.ts";

/** The InfoNCE value computed directly in float64. */
function infoNceReference(a: number[][], b: number[][], tau: number): number {
  const B = a.length;
  const s = a.map((ai) => b.map((bj) => -ai.reduce((acc, v, k) => acc + (v - bj[k]!) ** 2, 0) / tau));
  const lse = (xs: number[]) => { const m = Math.max(...xs); return m + Math.log(xs.reduce((acc, x) => acc + Math.exp(x - m), 0)); };
  let rows = 0, cols = 0;
  for (let i = 0; i < B; i++) {
    rows += -s[i]![i]! + lse(s[i]!);
    cols += -s[i]![i]! + lse(s.map((r) => r[i]!));
  }
  return (rows / B + cols / B) / 2;
}

test("symmetric InfoNCE matches its definition and its gradient passes the finite-difference check", () => {
  const rng = new Rng(3);
  const a = randomTensor([6, 2], rng), b = randomTensor([6, 2], rng);
  const rowsOf = (t: Tensor) => Array.from({ length: t.rows }, (_, i) => Array.from(t.data.subarray(i * t.cols, (i + 1) * t.cols)));
  for (const tau of [1, 0.3]) assert.ok(Math.abs(symmetricInfoNce(a, b, tau).item() - infoNceReference(rowsOf(a), rowsOf(b), tau)) < 1e-4);
  const d = pairwiseSquaredDistances(a, b);
  assert.ok(Math.abs(d.data[1 * 6 + 4]! - ((a.data[2]! - b.data[8]!) ** 2 + (a.data[3]! - b.data[9]!) ** 2)) < 1e-5);
  gradCheck("symmetricInfoNce", (x, y) => symmetricInfoNce(x, y, 0.7), [randomTensor([5, 3], rng), randomTensor([5, 3], rng)]);
  gradCheck("pairwiseSquaredDistances", pairwiseSquaredDistances, [randomTensor([4, 2], rng), randomTensor([3, 2], rng)]);
  // Aligned pairs score lower than shuffled ones.
  const far = Tensor.from([0, 0, 3, 3, -3, 3, 3, -3], [4, 2]);
  const shuffled = Tensor.from([3, 3, 0, 0, 3, -3, -3, 3], [4, 2]);
  assert.ok(symmetricInfoNce(far, far).item() < symmetricInfoNce(far, shuffled).item());
});

test("inputs are concatenated per row and scaled with the training rows' moments (global, per column, or raw pixels)", () => {
  const a = { dim: 2, values: Float32Array.from([1, 2, 3, 4, 5, 6]) }, b = { dim: 1, values: Float32Array.from([7, 8, 9]) };
  assert.deepEqual([...concatBlocks([a, b], 3).values], [1, 2, 7, 3, 4, 8, 5, 6, 9]);
  const s = scaleBlock({ dim: 1, values: Float32Array.from([1, 3, 100]) }, [0, 1], "columns");
  assert.deepEqual([...s.values].map((v) => +v.toFixed(4)), [-0.7071, 0.7071, +((100 - 2) / Math.SQRT2).toFixed(4)]);
  // Global: columns centred, one factor for the block (average column variance → 1), so relative spreads stay.
  const block = { dim: 2, values: Float32Array.from([0, 0, 2, 0.2, 4, 0.4]) };
  const g = fitScale(block, [0, 1, 2], "global");
  assert.equal(g.sd[0], g.sd[1]);
  assert.ok(Math.abs(g.sd[0]! - Math.sqrt((4 + 0.04) / 2)) < 1e-6);
  const scaled = scaleBlock(block, [0, 1, 2], "global").values;
  assert.ok(Math.abs(scaled[4]! / scaled[5]! - 10) < 1e-4 && Math.abs(scaled[0]! + scaled[4]!) < 1e-6);
  assert.equal(scaleBlock(block, [0, 1], "pixels"), block);
});

test("every variant-MNIST method trains and scores 4 learned latents against the 4 true ones", async () => {
  const data = generateVariantMnist({ n: 150, seed: 2, digits: loadMnistDigits({ perClass: 10 }), items: loadFashionItems({ perClass: 10, classes: [1, 7] }) });
  assert.deepEqual(MNIST_METHOD_NAMES, ["personax", "personax-faithful", "mmcrl", "mcl", "betavae"]);
  for (const method of MNIST_METHOD_NAMES) {
    const r = await runMnistMethod({ method, seed: 2, data, budget: { epochs: 1, batchSize: 64 } });
    assert.equal(r.run.latents.rows, 150, method);
    assert.equal(r.run.latents.cols, 4, method);
    assert.ok(r.mcc > 0 && r.mcc <= 1, `${method} MCC ${r.mcc}`);
    assert.ok(Number.isFinite(r.r2) && r.r2 <= 1, `${method} R² ${r.r2}`);
    assert.ok(r.secondsPerEpoch > 0);
    assert.equal(r.epochs, 1);
    assert.ok(mnistMethods[method].title.length > 0);
  }
});

test("latent traversals decode one learned latent at a time through each measurement's decoder", async () => {
  const { latentTraversals } = await import("../../src/crl/baselines/traversal.ts");
  const { trainMnistCrl } = await import("../../src/crl/baselines/crl-methods.ts");
  const { MNIST_BUDGET } = await import("../../src/crl/baselines/common.ts");
  const { variantMnistDataset } = await import("../../src/synth/variant-mnist.ts");
  const data = generateVariantMnist({ n: 120, seed: 5, digits: loadMnistDigits({ perClass: 10 }), items: loadFashionItems({ perClass: 10, classes: [2] }) });
  const run = await trainMnistCrl(data, { mode: "default", measurements: 3 }, { ...MNIST_BUDGET, epochs: 1, batchSize: 64 }, 5);
  const traversals = latentTraversals(run.training, variantMnistDataset(data, 3), { steps: 5 });
  assert.deepEqual(traversals.map((t) => t.latent), ["digit_z1", "digit_z2", "item_z1", "item_z2"]);
  assert.equal(traversals[0]!.decoded.length, 3);
  assert.equal(traversals[2]!.decoded.length, 1);
  assert.equal(traversals[0]!.decoded[0]!.length, 5);
  assert.equal(traversals[0]!.decoded[0]![0]!.length, 588);
  const v = traversals[1]!.values;
  for (let s = 1; s < v.length; s++) assert.ok(v[s]! >= v[s - 1]!);
  // Moving the latent changes the decoded image.
  const first = traversals[0]!.decoded[0]![0]!, last = traversals[0]!.decoded[0]![4]!;
  assert.ok(first.some((x, j) => Math.abs(x - last[j]!) > 1e-4));
});

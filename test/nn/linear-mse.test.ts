/**
 * The fused reconstruction loss linearMse(h, W, b, target) = mse(linear(h, W, b), target) and MLP.mseLoss:
 * finite-difference gradients, agreement with the unfused ops in value and in every gradient, and the
 * biasMinusTarget/squaredSumColumns kernels' native/fallback parity — on both linear-algebra paths.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fallbackLinalg, nativeLinalg } from "../../src/linalg/index.ts";
import * as nn from "../../src/nn/index.ts";
import { MLP, Tensor } from "../../src/nn/index.ts";
import { Rng } from "../../src/util/rng.ts";
import { testBoth } from "./backends.ts";
import { gradCheck, randomTensor } from "./gradcheck.ts";

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol * (scale + 1e-30), `${what}[${i}]: ${actual[i]} vs ${expected[i]} (max |value| ${scale})`);
  }
}

testBoth("linearMse gradients match finite differences for h, weight, bias and target, with and without bias", () => {
  const rng = new Rng(31);
  gradCheck("linearMse", (h, w, b, t) => nn.linearMse(h!, w!, b!, t!),
    [randomTensor([5, 4], rng), randomTensor([3, 4], rng), randomTensor([3], rng), randomTensor([5, 3], rng)]);
  gradCheck("linearMse no bias", (h, w, t) => nn.linearMse(h!, w!, null, t!),
    [randomTensor([6, 2], rng), randomTensor([4, 2], rng), randomTensor([6, 4], rng)]);
  // A row longer than the kernel's 1024-float summation block.
  gradCheck("linearMse wide", (h, w, b, t) => nn.linearMse(h!, w!, b!, t!),
    [randomTensor([2, 3], rng), randomTensor([1030, 3], rng), randomTensor([1030], rng), randomTensor([2, 1030], rng)], { maxCoordinates: 12 });
});

/** Every gradient of `loss(h, w, b, t)` for fresh leaves cloned from the given values. */
function lossAndGrads(loss: (h: Tensor, w: Tensor, b: Tensor, t: Tensor) => Tensor, values: Tensor[]) {
  const leaves = values.map((v) => v.clone(true));
  const out = loss(leaves[0]!, leaves[1]!, leaves[2]!, leaves[3]!);
  out.backward();
  return { value: out.item(), grads: leaves.map((l) => l.grad!) };
}

testBoth("linearMse equals mse(linear(h, W, b), target) in value and in every gradient, also when gradients accumulate (multi-threaded sizes)", () => {
  const rng = new Rng(32);
  // 600×520 and 300×1100 outputs exceed the native kernels' single-thread threshold (2^18 values).
  for (const [rows, inF, outF] of [[600, 40, 520], [300, 17, 1100], [7, 3, 5]] as const) {
    const values = [randomTensor([rows, inF], rng), randomTensor([outF, inF], rng), randomTensor([outF], rng), randomTensor([rows, outF], rng)];
    const fusedOnce = lossAndGrads((h, w, b, t) => nn.linearMse(h, w, b, t), values);
    const plainOnce = lossAndGrads((h, w, b, t) => nn.mse(nn.linear(h, w, b), t), values);
    assert.ok(Math.abs(fusedOnce.value - plainOnce.value) <= 1e-6 * plainOnce.value, `value ${fusedOnce.value} vs ${plainOnce.value}`);
    ["h", "weight", "bias", "target"].forEach((name, i) => assertClose(fusedOnce.grads[i]!, plainOnce.grads[i]!, 1e-5, `${rows}×${outF} d${name}`));
    // Used twice in one graph (second use scaled), so every gradient buffer is accumulated into (GEMM beta = 1).
    const twice = (loss: (h: Tensor, w: Tensor, b: Tensor, t: Tensor) => Tensor) =>
      (h: Tensor, w: Tensor, b: Tensor, t: Tensor) => nn.add(loss(h, w, b, t), nn.scale(loss(h, w, b, nn.scale(t, 0.5)), 3));
    const fused = lossAndGrads(twice((h, w, b, t) => nn.linearMse(h, w, b, t)), values);
    const plain = lossAndGrads(twice((h, w, b, t) => nn.mse(nn.linear(h, w, b), t)), values);
    assert.ok(Math.abs(fused.value - plain.value) <= 1e-6 * plain.value, `accumulated value ${fused.value} vs ${plain.value}`);
    ["h", "weight", "bias", "target"].forEach((name, i) => assertClose(fused.grads[i]!, plain.grads[i]!, 1e-5, `accumulated ${rows}×${outF} d${name}`));
  }
});

testBoth("linearMse without bias and with constant target equals the unfused ops; a mismatched target or bias is rejected", () => {
  const rng = new Rng(33);
  const h = randomTensor([9, 4], rng), w = randomTensor([6, 4], rng), t = Tensor.uniform([9, 6], -1, 1, rng);
  const fused = nn.linearMse(h, w, null, t);
  fused.backward();
  const [gh, gw] = [h.grad!.slice(), w.grad!.slice()];
  h.grad = null; w.grad = null;
  const plain = nn.mse(nn.linear(h, w, null), t);
  plain.backward();
  assert.ok(Math.abs(fused.item() - plain.item()) <= 1e-6 * plain.item());
  assertClose(gh, h.grad!, 1e-5, "dh");
  assertClose(gw, w.grad!, 1e-5, "dW");
  assert.equal(t.grad, null);
  assert.throws(() => nn.linearMse(h, w, null, Tensor.zeros([9, 5])), /linearMse: prediction \[9, 6\] and target \[9, 5\] differ in shape/);
  assert.throws(() => nn.linearMse(h, w, Tensor.zeros([5]), t), /bias has 5 values, expected 6/);
  assert.throws(() => nn.linearMse(h, Tensor.zeros([6, 3]), null, t), /input has 4 features/);
});

testBoth("MLP.mseLoss equals mse(mlp.forward(x), target) in value and parameter gradients; with a final activation it is the unfused form", () => {
  for (const finalActivation of ["none", "sigmoid"] as const) {
    const rng = new Rng(34);
    const mlp = new MLP([12, 16, 8, 20], rng, { activation: "elu", finalActivation });
    const x = Tensor.normal([50, 12], 0, 1, rng), target = Tensor.normal([50, 20], 0, 1, rng);
    const fused = mlp.mseLoss(x, target);
    fused.backward();
    const fusedGrads = mlp.parameters().map((p) => p.grad!.slice());
    mlp.zeroGrad();
    const plain = nn.mse(mlp.forward(x), target);
    plain.backward();
    assert.ok(Math.abs(fused.item() - plain.item()) <= 1e-6 * plain.item(), `${finalActivation}: ${fused.item()} vs ${plain.item()}`);
    mlp.parameters().forEach((p, i) => assertClose(fusedGrads[i]!, p.grad!, 1e-5, `${finalActivation} parameter ${i}`));
    assert.deepEqual(mlp.forwardHidden(x).shape, [50, 8]);
  }
});

test("biasMinusTarget and squaredSumColumns: native and fallback agree with their formulas (rows longer than a 1024-float block, multi-threaded sizes)", { skip: nativeLinalg() ? false : "native addon not built" }, () => {
  const nat = nativeLinalg()!.kernels, fb = fallbackLinalg.kernels;
  const rng = new Rng(35);
  for (const [rows, cols] of [[500, 1030], [3, 7]] as const) {
    const n = rows * cols;
    const t = Float32Array.from(rng.normals(n)), bias = Float32Array.from(rng.normals(cols));
    for (const b of [bias, null]) {
      const expected = Float32Array.from(t, (v, i) => (b ? b[i % cols]! : 0) - v);
      const [o1, o2] = [new Float32Array(n).fill(Number.NaN), new Float32Array(n).fill(Number.NaN)];
      nat.biasMinusTarget(o1, rows, cols, b, t);
      fb.biasMinusTarget(o2, rows, cols, b, t);
      assert.deepEqual(o1, expected, "native bias − target");
      assert.deepEqual(o2, expected, "fallback bias − target");
    }
    const d = Float32Array.from(rng.normals(n));
    let squares = 0;
    const colSums = new Float64Array(cols).fill(0.25);
    d.forEach((v, i) => { squares += v * v; colSums[i % cols]! += v; });
    const [s1, s2] = [new Float32Array(cols).fill(0.25), new Float32Array(cols).fill(0.25)];
    const total1 = nat.squaredSumColumns(d, rows, cols, s1), total2 = fb.squaredSumColumns(d, rows, cols, s2);
    assert.ok(Math.abs(total1 - squares) <= 1e-6 * squares, `native Σ d² ${total1} vs ${squares}`);
    assert.ok(Math.abs(total2 - squares) <= 1e-12 * squares, `fallback Σ d² ${total2} vs ${squares}`);
    assertClose(s1, colSums, 1e-5, "native column sums");
    assertClose(s2, colSums, 1e-5, "fallback column sums");
    assert.equal(nat.squaredSumColumns(d, rows, cols, null), total1, "no column sums: same total");
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { constantCentredGram, normalizedHsic } from "../../src/crl/dependence.ts";
import { Tensor } from "../../src/nn/tensor.ts";
import { Rng } from "../../src/util/rng.ts";

const rows = 128;
function sample(seed: number) {
  const rng = new Rng(seed);
  const x = Float32Array.from(rng.normals(rows * 3));
  const dependent = new Float32Array(rows);
  const independent = Float32Array.from(rng.normals(rows));
  for (let i = 0; i < rows; i++) dependent[i] = Math.tanh(2 * x[i * 3]!) + 0.3 * rng.normal();
  return { x: new Tensor(x, [rows, 3]), dependent, independent };
}

test("normalised HSIC is near 0 for an independent column, clearly larger for a dependent one, and at most 1", () => {
  const { x, dependent, independent } = sample(1);
  const target = constantCentredGram(x);
  const dep = normalizedHsic(new Tensor(dependent, [rows, 1]), target).item();
  const ind = normalizedHsic(new Tensor(independent, [rows, 1]), target).item();
  assert.ok(dep > 4 * ind, `dependent ${dep}, independent ${ind}`);
  assert.ok(ind < 0.05 && dep <= 1, `dependent ${dep}, independent ${ind}`);
  assert.ok(Math.abs(normalizedHsic(x, target).item() - 1) < 1e-9, "a block compared with itself scores 1");
});

test("normalised HSIC is invariant to the scale of its input (median-heuristic widths)", () => {
  const { x, dependent } = sample(2);
  const target = constantCentredGram(x);
  const a = normalizedHsic(new Tensor(dependent, [rows, 1]), target).item();
  const b = normalizedHsic(new Tensor(dependent.map((v) => 7 * v), [rows, 1]), target).item();
  assert.ok(Math.abs(a - b) < 1e-5, `${a} vs ${b}`);
});

test("normalised HSIC gradient matches central finite differences (kernel width held fixed)", () => {
  const { x, dependent } = sample(3);
  const target = constantCentredGram(x);
  const input = new Tensor(Float32Array.from(dependent), [rows, 1], true);
  normalizedHsic(input, target).backward();
  const analytic = input.grad!;
  // A 1e-3 step moves the median pairwise distance by far less than the gradient resolution tested here.
  for (const i of [0, 17, 64, 127]) {
    const step = 1e-3;
    const plus = Float64Array.from(dependent); plus[i]! += step;
    const minus = Float64Array.from(dependent); minus[i]! -= step;
    const f = (v: Float64Array) => normalizedHsic(new Tensor(Float32Array.from(v), [rows, 1]), target).item();
    const numeric = (f(plus) - f(minus)) / (2 * step);
    assert.ok(Math.abs(numeric - analytic[i]!) <= 0.05 * Math.abs(analytic[i]!) + 2e-4, `row ${i}: analytic ${analytic[i]}, numeric ${numeric}`);
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { ACTIVATION_CODES, fallbackLinalg, nativeLinalg } from "../../src/linalg/index.ts";
import { Rng } from "../../src/util/rng.ts";
import { skipNative } from "./backends.ts";

// The native kernels compute in float32 (expm1f, sqrtf), the fallback in float64 before storing: they
// agree to a few float32 ulps.
const F32_TOL = 1e-6;

function randomF32(n: number, rng: Rng): Float32Array {
  return Float32Array.from(rng.normals(n));
}
function close(a: Float32Array, b: Float32Array, what: string): void {
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= F32_TOL * (1 + Math.abs(b[i]!)), `${what}: index ${i}: ${a[i]} vs ${b[i]}`);
}

test("native ELU and sigmoid keep float32 accuracy over the whole range, including tiny inputs (expm1 without cancellation)", { skip: skipNative(nativeLinalg()) }, () => {
  const xs = Float32Array.from([-90, -20, -5, -1, -0.36, -0.34, -0.1, -1e-3, -1e-6, -1e-9, 0, 1e-6, 3, 50]);
  for (const [code, f] of [[ACTIVATION_CODES.elu, (v: number) => (v > 0 ? v : Math.expm1(v))], [ACTIVATION_CODES.sigmoid, (v: number) => 1 / (1 + Math.exp(-v))]] as const) {
    const y = xs.slice();
    nativeLinalg()!.kernels.biasActivation(y, 1, xs.length, null, code, 1);
    xs.forEach((v, i) => assert.ok(Math.abs(y[i]! - f(v)) <= 4e-7 * Math.abs(f(v)) + 1e-30, `code ${code} at ${v}: ${y[i]} vs ${f(v)}`));
  }
});

test("the fallback element-wise kernels follow their formulas (bias + ELU, ELU gradient from the output)", () => {
  const k = fallbackLinalg.kernels;
  const y = Float32Array.from([-1, 0.5, 2, -3]);
  k.biasActivation(y, 2, 2, Float32Array.from([0.5, -1]), ACTIVATION_CODES.elu, 1);
  close(y, Float32Array.from([Math.expm1(-0.5), Math.expm1(-0.5), 2.5, -1 - 0 + Math.expm1(-4) + 1]), "elu forward");
  const dy = Float32Array.from([1, 1, 1, 1]);
  const biasGrad = Float32Array.from([10, 20]);
  k.activationBackward(dy, y, 2, 2, ACTIVATION_CODES.elu, 1, biasGrad);
  close(dy, Float32Array.from([Math.exp(-0.5), Math.exp(-0.5), 1, Math.exp(-4)]), "elu gradient");
  close(biasGrad, Float32Array.from([10 + Math.exp(-0.5) + 1, 20 + Math.exp(-0.5) + Math.exp(-4)]), "bias gradient");
});

test("native element-wise kernels match the fallback for every activation, column sums and Adam", { skip: skipNative(nativeLinalg()) }, () => {
  const rng = new Rng(11);
  const nat = nativeLinalg()!.kernels, fb = fallbackLinalg.kernels;
  const rows = 13, cols = 9;
  const bias = randomF32(cols, rng);
  for (const [name, code] of Object.entries(ACTIVATION_CODES)) {
    const x = randomF32(rows * cols, rng);
    const y1 = x.slice(), y2 = x.slice();
    nat.biasActivation(y1, rows, cols, bias, code, 0.2);
    fb.biasActivation(y2, rows, cols, bias, code, 0.2);
    close(y1, y2, `${name} forward`);
    const g1 = randomF32(rows * cols, rng), g2 = g1.slice();
    const b1 = randomF32(cols, rng), b2 = b1.slice();
    nat.activationBackward(g1, y2, rows, cols, code, 0.2, b1);
    fb.activationBackward(g2, y2, rows, cols, code, 0.2, b2);
    close(g1, g2, `${name} gradient`);
    close(b1, b2, `${name} bias gradient`);
    const g3 = g2.slice(), g4 = g2.slice();
    nat.activationBackward(g3, y2, rows, cols, code, 0.2, null);
    fb.activationBackward(g4, y2, rows, cols, code, 0.2, null);
    close(g3, g4, `${name} gradient without bias`);
  }
  const p = randomF32(50, rng), g = randomF32(50, rng), m = randomF32(50, rng), v = Float32Array.from(rng.uniforms(50));
  const p2 = p.slice(), m2 = m.slice(), v2 = v.slice();
  nat.adam(p, g, m, v, 1e-2, 0.9, 0.999, 1e-8, 1 - 0.9 ** 3, 1 - 0.999 ** 3, 0.01);
  fb.adam(p2, g, m2, v2, 1e-2, 0.9, 0.999, 1e-8, 1 - 0.9 ** 3, 1 - 0.999 ** 3, 0.01);
  close(p, p2, "adam params");
  const a = randomF32(3000, rng), b = randomF32(3000, rng);
  const e1 = nat.squaredErrorSum(a, b, 3000), e2 = fb.squaredErrorSum(a, b, 3000);
  assert.ok(Math.abs(e1 - e2) < 1e-5 * e2, `squared error ${e1} vs ${e2}`);
  const o1 = randomF32(3000, rng), o2 = o1.slice();
  nat.scaledDifference(a, b, 0.3, o1, 3000, true);
  fb.scaledDifference(a, b, 0.3, o2, 3000, true);
  close(o1, o2, "scaled difference (accumulate)");
  nat.scaledDifference(a, b, -2, o1, 3000, false);
  fb.scaledDifference(a, b, -2, o2, 3000, false);
  close(o1, o2, "scaled difference (overwrite)");
  close(m, m2, "adam m");
  close(v, v2, "adam v");
});

test("native kernels reject typed arrays shorter than their dimensions instead of reading out of bounds", { skip: skipNative(nativeLinalg()) }, () => {
  const nat = nativeLinalg()!.kernels;
  assert.throws(() => nat.sgemm(false, false, 4, 4, 4, 1, new Float32Array(15), 4, new Float32Array(16), 4, 0, new Float32Array(16), 4), RangeError);
  assert.throws(() => nat.dgemm(false, false, 2, 2, 2, 1, new Float32Array(4) as unknown as Float64Array, 2, new Float64Array(4), 2, 0, new Float64Array(4), 2), RangeError);
  assert.throws(() => nat.dpotrf(3, new Float64Array(8)), RangeError);
});

test("native element-wise kernels split large inputs over the BLAS threads and still match the fallback (incl. the bias-gradient reduction)", { skip: skipNative(nativeLinalg()) }, () => {
  const rng = new Rng(12);
  const nat = nativeLinalg()!.kernels, fb = fallbackLinalg.kernels;
  const rows = 700, cols = 500; // 350,000 values: above the 2^18 threshold for threading
  const bias = randomF32(cols, rng);
  const y1 = randomF32(rows * cols, rng), y2 = y1.slice();
  nat.biasActivation(y1, rows, cols, bias, ACTIVATION_CODES.elu, 1);
  fb.biasActivation(y2, rows, cols, bias, ACTIVATION_CODES.elu, 1);
  close(y1, y2, "elu forward");
  const g1 = randomF32(rows * cols, rng), g2 = g1.slice();
  const b1 = new Float32Array(cols), b2 = new Float32Array(cols);
  nat.activationBackward(g1, y2, rows, cols, ACTIVATION_CODES.elu, 1, b1);
  fb.activationBackward(g2, y2, rows, cols, ACTIVATION_CODES.elu, 1, b2);
  close(g1, g2, "elu backward");
  // 700 float32 terms per column: summation order differs between the paths.
  for (let j = 0; j < cols; j++) assert.ok(Math.abs(b1[j]! - b2[j]!) < 1e-4 * (1 + Math.abs(b2[j]!)), `bias gradient ${j}`);
  const e1 = nat.squaredErrorSum(y1, g1, rows * cols), e2 = fb.squaredErrorSum(y1, g1, rows * cols);
  assert.ok(Math.abs(e1 - e2) < 1e-5 * e2);
  const o1 = randomF32(rows * cols, rng), o2 = o1.slice();
  nat.scaledDifference(y1, g1, 0.5, o1, rows * cols, true);
  fb.scaledDifference(y1, g1, 0.5, o2, rows * cols, true);
  close(o1, o2, "scaled difference");
  const p1 = randomF32(rows * cols, rng), p2 = p1.slice(), m1 = new Float32Array(rows * cols), m2 = m1.slice(), v1 = m1.slice(), v2 = m1.slice();
  nat.adam(p1, g1, m1, v1, 1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001, 0);
  fb.adam(p2, g1, m2, v2, 1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001, 0);
  close(p1, p2, "adam");
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { brentq } from "../../src/stats/brentq.ts";
import { polynomialRoots } from "../../src/stats/polynomial-roots.ts";
import { luDecompose, luDeterminant, luSolve } from "../../src/stats/lu.ts";
import { symmetricEigenSmall, symmetricEigenvaluesSmall } from "../../src/stats/symmetric-eigen-small.ts";
import { medianInPlace, selectKthInPlace } from "../../src/stats/select-kth.ts";
import { ksUniform } from "../../src/stats/kolmogorov-smirnov.ts";
import { uniqueCodes, zScore, median } from "../../src/stats/descriptive.ts";
import { Rng } from "../../src/util/rng.ts";

test("brentq finds a bracketed root to scipy's default tolerance and refuses an unbracketed interval", () => {
  assert.ok(Math.abs(brentq((x) => x * x - 2, 0, 2) - Math.SQRT2) < 4e-12);
  assert.throws(() => brentq((x) => x * x + 1, 0, 2), /different signs/);
});

test("polynomialRoots returns every root of (x − 1)(x − 2)(x − 3)(x − 4)", () => {
  const roots = polynomialRoots([24, -50, 35, -10, 1]).map((r) => r.re).sort((a, b) => a - b);
  [1, 2, 3, 4].forEach((e, i) => assert.ok(Math.abs(roots[i]! - e) < 1e-10, `root ${roots[i]}`));
});

test("LU gives the determinant and solves a pivoting-requiring system", () => {
  const a = [0, 2, 1, 1, 1, 0, 3, 0, 1];
  const f = luDecompose(a, 3);
  assert.ok(Math.abs(luDeterminant(f) + 5) < 1e-12);
  const x = luSolve(f, [3, 2, 4]);
  [1, 1, 1].forEach((e, i) => assert.ok(Math.abs(x[i]! - e) < 1e-12));
});

test("symmetricEigenSmall returns ascending eigenvalues with orthonormal eigenvectors", () => {
  const a = [2, 1, 0, 1, 2, 1, 0, 1, 2];
  const { values, vectors } = symmetricEigenSmall(a, 3);
  [2 - Math.SQRT2, 2, 2 + Math.SQRT2].forEach((e, i) => assert.ok(Math.abs(values[i]! - e) < 1e-12));
  for (let k = 0; k < 3; k++) {
    // A v = λ v
    for (let i = 0; i < 3; i++) {
      let s = 0;
      for (let j = 0; j < 3; j++) s += a[i * 3 + j]! * vectors[j * 3 + k]!;
      assert.ok(Math.abs(s - values[k]! * vectors[i * 3 + k]!) < 1e-12);
    }
  }
});

test("selectKthInPlace and medianInPlace agree with sorting", () => {
  const rng = new Rng(3);
  for (const n of [1, 2, 7, 100, 1001]) {
    const v = rng.normals(n);
    const sorted = Float64Array.from(v).sort();
    assert.equal(selectKthInPlace(Float64Array.from(v), n >> 1), sorted[n >> 1]);
    assert.equal(medianInPlace(Float64Array.from(v)), median(v));
  }
});

test("ksUniform accepts uniforms and rejects a shifted sample", () => {
  const rng = new Rng(11);
  assert.ok(ksUniform(rng.uniforms(500)).pValue > 0.01);
  assert.ok(ksUniform(Array.from(rng.uniforms(500), (u) => u * u)).pValue < 1e-6);
});

test("uniqueCodes matches np.unique(return_inverse=True); zScore uses ddof = 1", () => {
  const u = uniqueCodes([3, 1, 3, 2.5]);
  assert.deepEqual(Array.from(u.levels), [1, 2.5, 3]);
  assert.deepEqual(Array.from(u.codes), [2, 0, 2, 1]);
  assert.deepEqual(Array.from(u.counts), [1, 1, 2]);
  const z = zScore([1, 2, 3]);
  assert.deepEqual(Array.from(z), [-1, 0, 1]);
});

test("uniqueCodes gives np.unique's answer on every path: small integer codes, few values, many values", () => {
  // The plain definition: sorted distinct values (−0 as 0), each element's index among them, and counts.
  const reference = (v: number[]) => {
    const levels = [...new Set(v.map((x) => (x === 0 ? 0 : x)))].sort((a, b) => a - b);
    const codes = v.map((x) => levels.indexOf(x === 0 ? 0 : x));
    return { levels, codes, counts: levels.map((_, i) => codes.filter((c) => c === i).length) };
  };
  const rng = new Rng(5);
  const draws: Array<[string, () => number]> = [
    ["codes 0..3", () => Math.floor(rng.uniform() * 4)],
    ["codes 0..1023", () => Math.floor(rng.uniform() * 1024)],
    ["codes with a 1024", () => (rng.uniform() < 0.01 ? 1024 : Math.floor(rng.uniform() * 5))],
    ["negative codes", () => Math.floor(rng.uniform() * 6) - 3],
    ["signed zeros and halves", () => [0, -0, 0.5, 2][Math.floor(rng.uniform() * 4)]!],
    ["continuous", () => rng.normal()],
  ];
  for (const [name, draw] of draws) {
    const v = Array.from({ length: 3000 }, draw);
    const u = uniqueCodes(v), r = reference(v);
    assert.deepEqual(Array.from(u.levels), r.levels, name);
    assert.deepEqual(Array.from(u.codes), r.codes, name);
    assert.deepEqual(Array.from(u.counts), r.counts, name);
  }
});

test("symmetricEigenvaluesSmall equals the Jacobi eigenvalues on random, diagonal and rank-deficient matrices", () => {
  const rng = new Rng(11);
  for (const n of [1, 2, 3, 7, 25]) {
    const g = Float64Array.from({ length: n * n }, () => rng.normal());
    const full = new Float64Array(n * n), lowRank = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) full[i * n + j]! += g[i * n + k]! * g[j * n + k]!;
      lowRank[i * n + j] = g[i * n]! * g[j * n]!; // rank 1: one non-zero eigenvalue
    }
    const diagonal = new Float64Array(n * n);
    for (let i = 0; i < n; i++) diagonal[i * n + i] = n - 2 * i;
    for (const a of [full, lowRank, diagonal]) {
      const want = symmetricEigenSmall(a, n).values;
      const got = symmetricEigenvaluesSmall(a, n);
      const scale = Math.max(1e-300, ...Array.from(want, Math.abs));
      want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) <= 1e-12 * scale, `n=${n} value ${i}: ${got[i]} vs ${w}`));
    }
  }
});

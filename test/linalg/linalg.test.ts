import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { ComputeError } from "../../src/errors.ts";
import { matrix, type Matrix } from "../../src/linalg/index.ts";
import { Rng } from "../../src/util/rng.ts";
import { backends, skipNative } from "./backends.ts";

// Double-precision results of O(n) to O(n³) sums on values of order 1: agreement to ~1e-10 leaves room for
// the different summation orders of OpenBLAS and the fallback.
const TOL = 1e-10;

function randomMatrix(rows: number, cols: number, rng: Rng): Matrix {
  return matrix(rows, cols, rng.normals(rows * cols));
}
function naiveProduct(a: Matrix, b: Matrix, transA = false, transB = false, alpha = 1): Matrix {
  const m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols, n = transB ? b.rows : b.cols;
  const out = matrix(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (transA ? a.data[p * a.cols + i]! : a.data[i * a.cols + p]!) * (transB ? b.data[j * b.cols + p]! : b.data[p * b.cols + j]!);
    out.data[i * n + j] = alpha * s;
  }
  return out;
}
function transpose(a: Matrix): Matrix {
  const t = matrix(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j]!;
  return t;
}
function randomSpd(n: number, rng: Rng): Matrix {
  const x = randomMatrix(n + 5, n, rng);
  const a = naiveProduct(x, x, true, false);
  for (let i = 0; i < n; i++) a.data[i * n + i]! += 0.1;
  return a;
}
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

for (const [name, la] of backends) {
  const skip = name === "native" ? skipNative(la) : false;

  test(`[${name}] gemm(a, b, {transA, transB, alpha}) equals the naive triple loop for all four transpose cases`, { skip }, () => {
    const rng = new Rng(1);
    // 37×141 · 141×530: odd sizes cross the fallback's 128-deep and 512-wide blocks and its 4-row unrolling.
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = transA ? randomMatrix(141, 37, rng) : randomMatrix(37, 141, rng);
      const b = transB ? randomMatrix(530, 141, rng) : randomMatrix(141, 530, rng);
      const got = la!.gemm(a, b, { transA, transB, alpha: -0.5 });
      const want = naiveProduct(a, b, transA, transB, -0.5);
      assert.equal(got.rows, 37);
      assert.equal(got.cols, 530);
      assert.ok(maxAbsDiff(got.data, want.data) < TOL, `transA=${transA} transB=${transB}`);
    }
  });

  test(`[${name}] gemm rejects mismatched inner dimensions with a ComputeError naming both shapes`, { skip }, () => {
    assert.throws(() => la!.gemm(matrix(2, 3), matrix(4, 2)), (e: unknown) => e instanceof ComputeError && /2×3.*4×2/.test(e.message));
  });

  test(`[${name}] sgemm accumulates into out with beta and matches float64 within float32 rounding`, { skip }, () => {
    const rng = new Rng(2);
    const a = randomMatrix(20, 33, rng), b = randomMatrix(20, 7, rng);
    const a32 = { rows: 20, cols: 33, data: Float32Array.from(a.data) }, b32 = { rows: 20, cols: 7, data: Float32Array.from(b.data) };
    const out = new Float32Array(33 * 7).fill(1);
    la!.sgemm(a32, b32, { transA: true, beta: 2, out });
    const want = naiveProduct(a, b, true);
    for (let i = 0; i < out.length; i++) assert.ok(Math.abs(out[i]! - (want.data[i]! + 2)) < 1e-4, `entry ${i}`);
  });

  test(`[${name}] symmetricEigen(a) gives ascending values and orthonormal column eigenvectors with A·V = V·Λ`, { skip }, () => {
    const rng = new Rng(3);
    const n = 60;
    const a = randomSpd(n, rng);
    for (let i = 0; i < n; i++) a.data[i]! -= 3; // make some eigenvalues negative: symmetric, not only SPD
    for (let i = 0; i < n; i++) a.data[i * n]! -= 3;
    const { values, vectors } = la!.symmetricEigen(a);
    for (let i = 1; i < n; i++) assert.ok(values[i - 1]! <= values[i]!);
    const av = naiveProduct(a, vectors);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      assert.ok(Math.abs(av.data[i * n + j]! - vectors.data[i * n + j]! * values[j]!) < 1e-8 * (1 + Math.abs(values[j]!)));
    }
    const vtv = naiveProduct(vectors, vectors, true);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(Math.abs(vtv.data[i * n + j]! - (i === j ? 1 : 0)) < 1e-10);
  });

  test(`[${name}] symmetricEigen reads only the lower triangle and handles repeated eigenvalues`, { skip }, () => {
    const a = matrix(3, 3, [2, 99, 99, 1, 2, 99, 0, 0, 5]); // lower triangle: [[2,1,0],[1,2,0],[0,0,5]]
    const { values } = la!.symmetricEigen(a);
    assert.ok(maxAbsDiff(values, [1, 3, 5]) < 1e-12);
    const id = matrix(4, 4, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    assert.ok(maxAbsDiff(la!.symmetricEigen(id).values, [1, 1, 1, 1]) < 1e-14);
  });

  test(`[${name}] cholesky(a) is lower triangular with L·Lᵀ = A`, { skip }, () => {
    const rng = new Rng(4);
    const a = randomSpd(45, rng);
    const l = la!.cholesky(a);
    for (let i = 0; i < 45; i++) for (let j = i + 1; j < 45; j++) assert.equal(l.data[i * 45 + j], 0);
    assert.ok(maxAbsDiff(naiveProduct(l, l, false, true).data, a.data) < 1e-9);
  });

  test(`[${name}] cholesky throws a ComputeError naming the size and the failing leading minor`, { skip }, () => {
    // Leading minors of order 1 and 2 are positive; order 3 is singular (row 3 = row 1 + row 2).
    const a = matrix(4, 4, [2, 1, 3, 0, 1, 2, 3, 0, 3, 3, 6, 0, 0, 0, 0, 1]);
    assert.throws(() => la!.cholesky(a), (e: unknown) => e instanceof ComputeError && e.code === "E_COMPUTE" &&
      /4×4/.test(e.message) && /order 3/.test(e.message) && /ridge/.test(e.message));
    assert.throws(() => la!.cholesky(matrix(2, 2, [1, NaN, NaN, 1])), (e: unknown) => e instanceof ComputeError && /non-finite/.test(e.message));
    assert.throws(() => la!.cholesky(matrix(2, 3)), (e: unknown) => e instanceof ComputeError && /square/.test(e.message));
  });

  test(`[${name}] choleskySolve(l, b) solves A·x = b for a vector and a matrix right-hand side`, { skip }, () => {
    const rng = new Rng(5);
    const a = randomSpd(30, rng);
    const l = la!.cholesky(a);
    const x = rng.normals(30);
    const b = naiveProduct(a, matrix(30, 1, x)).data;
    assert.ok(maxAbsDiff(la!.choleskySolve(l, b), x) < 1e-8);
    const X = randomMatrix(30, 4, rng);
    const got = la!.choleskySolve(l, naiveProduct(a, X));
    assert.equal(got.cols, 4);
    assert.ok(maxAbsDiff(got.data, X.data) < 1e-8);
  });

  test(`[${name}] solve(a, b) solves a general square system and rejects a singular one`, { skip }, () => {
    const rng = new Rng(6);
    const a = randomMatrix(25, 25, rng);
    const X = randomMatrix(25, 3, rng);
    assert.ok(maxAbsDiff(la!.solve(a, naiveProduct(a, X)).data, X.data) < 1e-8);
    const singular = matrix(3, 3, [1, 2, 3, 2, 4, 6, 1, 0, 1]);
    assert.throws(() => la!.solve(singular, new Float64Array(3)), (e: unknown) => e instanceof ComputeError && /singular/.test(e.message));
  });

  test(`[${name}] inverseSpd(a) is exactly symmetric and A·A⁻¹ = I`, { skip }, () => {
    const rng = new Rng(7);
    const a = randomSpd(20, rng);
    const inv = la!.inverseSpd(a);
    assert.deepEqual(inv.data, transpose(inv).data);
    const prod = naiveProduct(a, inv);
    for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) assert.ok(Math.abs(prod.data[i * 20 + j]! - (i === j ? 1 : 0)) < 1e-9);
  });
}

test("native and fallback agree on the eigenvalues of the same matrix", { skip: skipNative(backends[0]![1]) }, () => {
  const a = randomSpd(40, new Rng(8));
  assert.ok(maxAbsDiff(backends[0]![1]!.symmetricEigen(a).values, backends[1]![1]!.symmetricEigen(a).values) < 1e-9);
});

test("PERSONAX_NATIVE=0 selects the fallback and announces it with exactly one stderr line", () => {
  const script = `import { linalgBackend, gemm, matrix } from "./src/linalg/index.ts";
    gemm(matrix(1, 1, [2]), matrix(1, 1, [3])); gemm(matrix(1, 1, [2]), matrix(1, 1, [3]));
    console.log(linalgBackend());`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: new URL("../..", import.meta.url).pathname, env: { ...process.env, PERSONAX_NATIVE: "0" }, encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), "fallback");
  const lines = run.stderr.trim().split("\n").filter((l) => l.startsWith("personax:"));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /PERSONAX_NATIVE=0/);
});

test("the OpenBLAS addon loads on the first linear-algebra call, not when the library is imported", { skip: existsSync(new URL("../../native/build/Release/personax_linalg.node", import.meta.url)) ? false : "native addon not built" }, () => {
  const script = `import { createRequire } from "node:module";
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((p) => p.endsWith("personax_linalg.node"));
    await import("./src/index.ts");
    const before = loaded();
    const { gemm, matrix } = await import("./src/linalg/index.ts");
    gemm(matrix(1, 1, [2]), matrix(1, 1, [3]));
    console.log(JSON.stringify([before, loaded()]));`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: new URL("../..", import.meta.url).pathname, env: { ...process.env, PERSONAX_NATIVE: "" }, encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout.trim()), [false, true]);
});

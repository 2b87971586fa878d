/**
 * The native GEMM wrapper clears a large C itself and calls OpenBLAS with beta = 1 when asked for beta = 0
 * (OpenBLAS's own beta = 0 pass is slow). The contract must not change: beta = 0 ignores C's old contents
 * (even NaN) and gives exactly what beta = 1 gives on a zero C.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { nativeLinalg } from "../../src/linalg/index.ts";
import { Rng } from "../../src/util/rng.ts";

test("native sgemm/dgemm with beta = 0 ignore NaN in a large C (also with ldc > n) and equal beta = 1 on a zeroed C bit for bit", { skip: nativeLinalg() ? false : "native addon not built" }, () => {
  const k = nativeLinalg()!.kernels;
  const rng = new Rng(41);
  for (const [m, n, depth, ldc] of [[700, 600, 33, 600], [513, 520, 17, 530], [5, 4, 3, 4]] as const) {
    const a = Float32Array.from(rng.normals(m * depth)), b = Float32Array.from(rng.normals(n * depth));
    const fresh = new Float32Array(m * ldc).fill(Number.NaN), zeroed = new Float32Array(m * ldc);
    k.sgemm(false, true, m, n, depth, 0.7, a, depth, b, depth, 0, fresh, ldc);
    k.sgemm(false, true, m, n, depth, 0.7, a, depth, b, depth, 1, zeroed, ldc);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) assert.ok(Object.is(fresh[i * ldc + j], zeroed[i * ldc + j]), `sgemm ${m}×${n} [${i}, ${j}]: ${fresh[i * ldc + j]} vs ${zeroed[i * ldc + j]}`);
      for (let j = n; j < ldc; j++) assert.ok(Number.isNaN(fresh[i * ldc + j]), `sgemm ${m}×${n}: padding column ${j} of row ${i} must stay untouched`);
    }
    const ad = Float64Array.from(a), bd = Float64Array.from(b);
    const dFresh = new Float64Array(m * ldc).fill(Number.NaN), dZeroed = new Float64Array(m * ldc);
    k.dgemm(false, true, m, n, depth, 0.7, ad, depth, bd, depth, 0, dFresh, ldc);
    k.dgemm(false, true, m, n, depth, 0.7, ad, depth, bd, depth, 1, dZeroed, ldc);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) assert.ok(Object.is(dFresh[i * ldc + j], dZeroed[i * ldc + j]), `dgemm ${m}×${n} [${i}, ${j}]`);
  }
});

/**
 * Portable GEMM for the fallback path: C = alpha·op(A)·op(B) + beta·C on row-major storage. Blocked over
 * k and n so a panel of B stays in cache, with four rows of C updated per pass over a B row (each loaded
 * B value is used four times). About 1–2 GFLOP/s in V8, far below OpenBLAS, but exact BLAS semantics.
 */
import type { Floats } from "../kernels.ts";

const BLOCK_K = 128;
const BLOCK_N = 512;

export function gemmInto<T extends Floats>(transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: T, lda: number, b: T, ldb: number, beta: number, c: T, ldc: number): void {
  for (let i = 0; i < m; i++) {
    const row = i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else if (beta !== 1) for (let j = 0; j < n; j++) c[row + j]! *= beta;
  }
  if (k === 0 || alpha === 0) return;
  // Bring op(B) to a contiguous k×n layout so the inner loop always streams rows of B and C.
  let bk = b, ldbk = ldb;
  if (transB) {
    bk = new (b.constructor as { new (n: number): T })(k * n);
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) bk[p * n + j] = b[j * ldb + p]!;
    ldbk = n;
  }
  const aAt = transA ? (i: number, p: number) => a[p * lda + i]! : (i: number, p: number) => a[i * lda + p]!;
  for (let p0 = 0; p0 < k; p0 += BLOCK_K) {
    const p1 = Math.min(k, p0 + BLOCK_K);
    for (let j0 = 0; j0 < n; j0 += BLOCK_N) {
      const j1 = Math.min(n, j0 + BLOCK_N);
      let i = 0;
      for (; i + 3 < m; i += 4) {
        const c0 = i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        for (let p = p0; p < p1; p++) {
          const a0 = alpha * aAt(i, p), a1 = alpha * aAt(i + 1, p), a2 = alpha * aAt(i + 2, p), a3 = alpha * aAt(i + 3, p);
          const br = p * ldbk;
          for (let j = j0; j < j1; j++) {
            const bv = bk[br + j]!;
            c[c0 + j]! += a0 * bv;
            c[c1 + j]! += a1 * bv;
            c[c2 + j]! += a2 * bv;
            c[c3 + j]! += a3 * bv;
          }
        }
      }
      for (; i < m; i++) {
        const c0 = i * ldc;
        for (let p = p0; p < p1; p++) {
          const a0 = alpha * aAt(i, p);
          const br = p * ldbk;
          for (let j = j0; j < j1; j++) c[c0 + j]! += a0 * bk[br + j]!;
        }
      }
    }
  }
}

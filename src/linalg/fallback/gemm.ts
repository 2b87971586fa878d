/**
 * Portable GEMM for the fallback path: C = alpha·op(A)·op(B) + beta·C on row-major storage. op(A) is
 * brought to a contiguous m×k layout and op(B) to a contiguous n×k layout (its transpose), so every entry
 * of C is a dot product of two contiguous rows. A 4×2 block of C is computed per pass with its eight sums
 * held in locals (6 loads per 8 multiply-adds, no stores in the inner loop), and the k dimension is cut
 * into blocks so the eight rows involved stay in cache. Sums run in float64 (JavaScript numbers) whatever
 * the storage type. A few GFLOP/s in V8: far below OpenBLAS, but exact BLAS semantics.
 */
import type { Floats } from "../kernels.ts";

const BLOCK_K = 256;

/** Contiguous rows×cols copy of a (transposed when `transpose`: then a is cols×rows with row stride ld). */
function packed<T extends Floats>(a: T, rows: number, cols: number, ld: number, transpose: boolean): T {
  if (!transpose && ld === cols) return a;
  const out = new (a.constructor as { new (n: number): T })(rows * cols);
  if (transpose) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = a[c * ld + r]!;
  } else {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = a[r * ld + c]!;
  }
  return out;
}

export function gemmInto<T extends Floats>(transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: T, lda: number, b: T, ldb: number, beta: number, c: T, ldc: number): void {
  for (let i = 0; i < m; i++) {
    const row = i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else if (beta !== 1) for (let j = 0; j < n; j++) c[row + j]! *= beta;
  }
  if (k === 0 || alpha === 0 || m === 0 || n === 0) return;
  const A = packed(a, m, k, lda, transA); // m×k
  const Bt = packed(b, n, k, ldb, !transB); // n×k = op(B)ᵀ
  for (let p0 = 0; p0 < k; p0 += BLOCK_K) {
    const p1 = Math.min(k, p0 + BLOCK_K);
    let i = 0;
    for (; i + 3 < m; i += 4) {
      const a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
      let j = 0;
      for (; j + 1 < n; j += 2) {
        const b0 = j * k, b1 = b0 + k;
        let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
        for (let p = p0; p < p1; p++) {
          const x0 = A[a0 + p]!, x1 = A[a1 + p]!, x2 = A[a2 + p]!, x3 = A[a3 + p]!;
          const y0 = Bt[b0 + p]!, y1 = Bt[b1 + p]!;
          s00 += x0 * y0; s01 += x0 * y1;
          s10 += x1 * y0; s11 += x1 * y1;
          s20 += x2 * y0; s21 += x2 * y1;
          s30 += x3 * y0; s31 += x3 * y1;
        }
        const c0 = i * ldc + j;
        c[c0]! += alpha * s00; c[c0 + 1]! += alpha * s01;
        c[c0 + ldc]! += alpha * s10; c[c0 + ldc + 1]! += alpha * s11;
        c[c0 + 2 * ldc]! += alpha * s20; c[c0 + 2 * ldc + 1]! += alpha * s21;
        c[c0 + 3 * ldc]! += alpha * s30; c[c0 + 3 * ldc + 1]! += alpha * s31;
      }
      for (; j < n; j++) {
        const b0 = j * k;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let p = p0; p < p1; p++) {
          const y = Bt[b0 + p]!;
          s0 += A[a0 + p]! * y; s1 += A[a1 + p]! * y; s2 += A[a2 + p]! * y; s3 += A[a3 + p]! * y;
        }
        c[i * ldc + j]! += alpha * s0; c[(i + 1) * ldc + j]! += alpha * s1;
        c[(i + 2) * ldc + j]! += alpha * s2; c[(i + 3) * ldc + j]! += alpha * s3;
      }
    }
    for (; i < m; i++) {
      const a0 = i * k;
      for (let j = 0; j < n; j++) {
        const b0 = j * k;
        let s = 0;
        for (let p = p0; p < p1; p++) s += A[a0 + p]! * Bt[b0 + p]!;
        c[i * ldc + j]! += alpha * s;
      }
    }
  }
}

/**
 * Cholesky (potrf/potrs) and LU (gesv) for the fallback path, row-major, with LAPACK's return codes:
 * dpotrf returns j when the leading minor of order j is not positive definite; dgesv returns i when
 * U(i, i) is exactly zero (1-based, as LAPACK).
 */

/** Lower Cholesky factor into the lower triangle of a (row-oriented, inner products over contiguous rows). */
export function choleskyInPlace(n: number, a: Float64Array): number {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let diag = a[rj + j]!;
    for (let k = 0; k < j; k++) diag -= a[rj + k]! * a[rj + k]!;
    if (!(diag > 0)) return j + 1; // also catches NaN
    const ljj = Math.sqrt(diag);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = s / ljj;
    }
  }
  return 0;
}

/** b (n×nrhs) ← (L·Lᵀ)⁻¹·b: forward substitution with L, then back substitution with Lᵀ. */
export function choleskySolveInPlace(n: number, nrhs: number, l: Float64Array, b: Float64Array): number {
  for (let i = 0; i < n; i++) {
    const bi = i * nrhs;
    for (let k = 0; k < i; k++) {
      const lik = l[i * n + k]!;
      if (lik === 0) continue;
      const bk = k * nrhs;
      for (let c = 0; c < nrhs; c++) b[bi + c]! -= lik * b[bk + c]!;
    }
    const inv = 1 / l[i * n + i]!;
    for (let c = 0; c < nrhs; c++) b[bi + c]! *= inv;
  }
  for (let i = n - 1; i >= 0; i--) {
    const bi = i * nrhs;
    for (let k = i + 1; k < n; k++) {
      const lki = l[k * n + i]!;
      if (lki === 0) continue;
      const bk = k * nrhs;
      for (let c = 0; c < nrhs; c++) b[bi + c]! -= lki * b[bk + c]!;
    }
    const inv = 1 / l[i * n + i]!;
    for (let c = 0; c < nrhs; c++) b[bi + c]! *= inv;
  }
  return 0;
}

/** b ← a⁻¹·b by Gaussian elimination with partial pivoting (a and b overwritten). */
export function luSolveInPlace(n: number, nrhs: number, a: Float64Array, b: Float64Array): number {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    let best = Math.abs(a[col * n + col]!);
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(a[r * n + col]!);
      if (v > best) { best = v; pivot = r; }
    }
    if (best === 0 || Number.isNaN(best)) return col + 1;
    if (pivot !== col) {
      for (let j = 0; j < n; j++) {
        const t = a[col * n + j]!; a[col * n + j] = a[pivot * n + j]!; a[pivot * n + j] = t;
      }
      for (let j = 0; j < nrhs; j++) {
        const t = b[col * nrhs + j]!; b[col * nrhs + j] = b[pivot * nrhs + j]!; b[pivot * nrhs + j] = t;
      }
    }
    const d = a[col * n + col]!;
    for (let r = col + 1; r < n; r++) {
      const factor = a[r * n + col]! / d;
      if (factor === 0) continue;
      a[r * n + col] = factor;
      for (let j = col + 1; j < n; j++) a[r * n + j]! -= factor * a[col * n + j]!;
      for (let j = 0; j < nrhs; j++) b[r * nrhs + j]! -= factor * b[col * nrhs + j]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    const d = a[r * n + r]!;
    for (let j = 0; j < nrhs; j++) {
      let s = b[r * nrhs + j]!;
      for (let k = r + 1; k < n; k++) s -= a[r * n + k]! * b[k * nrhs + j]!;
      b[r * nrhs + j] = s / d;
    }
  }
  return 0;
}

/**
 * Solves S X = B for a symmetric positive definite S (n × n, row-major, overwritten with its Cholesky
 * factor) and B (n × k, overwritten with X). Returns undefined when S is not positive definite.
 * Kept here so the metrics run before/without the shared linalg module; kernel ridge at ≤ 2,000 rows.
 */
export function choleskySolveSpd(S: Float64Array, n: number, B: Float64Array, k: number): Float64Array | undefined {
  // Lower-triangular L with S = L Lᵀ, stored in the lower triangle of S (row-oriented Cholesky–Banachiewicz).
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * n + j]!;
      const ri = i * n, rj = j * n;
      for (let p = 0; p < j; p++) s -= S[ri + p]! * S[rj + p]!;
      if (i === j) {
        if (!(s > 0)) return undefined;
        S[ri + i] = Math.sqrt(s);
      } else {
        S[ri + j] = s / S[rj + j]!;
      }
    }
  }
  // Forward: L Y = B.
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = B[i * k + c]!;
      for (let p = 0; p < i; p++) s -= S[i * n + p]! * B[p * k + c]!;
      B[i * k + c] = s / S[i * n + i]!;
    }
  }
  // Backward: Lᵀ X = Y.
  for (let i = n - 1; i >= 0; i--) {
    for (let c = 0; c < k; c++) {
      let s = B[i * k + c]!;
      for (let p = i + 1; p < n; p++) s -= S[p * n + i]! * B[p * k + c]!;
      B[i * k + c] = s / S[i * n + i]!;
    }
  }
  return B;
}

/**
 * Orthonormalises the l columns of an m × l row-major matrix in place by modified Gram-Schmidt, `passes`
 * times (a second pass restores orthogonality lost to rounding when columns are nearly dependent). A column
 * whose norm falls below 1e-12 becomes zero. R's diagonal (the norms) is positive, which is the sign
 * convention that makes Q Haar-distributed when the input is Gaussian (Mezzadri 2007).
 */
export function orthonormalizeColumnsInPlace(a: Float64Array, m: number, l: number, passes = 1): void {
  for (let pass = 0; pass < passes; pass++) {
    for (let c = 0; c < l; c++) {
      for (let prev = 0; prev < c; prev++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += a[i * l + c]! * a[i * l + prev]!;
        for (let i = 0; i < m; i++) a[i * l + c]! -= dot * a[i * l + prev]!;
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += a[i * l + c]! ** 2;
      norm = Math.sqrt(norm);
      for (let i = 0; i < m; i++) a[i * l + c] = norm > 1e-12 ? a[i * l + c]! / norm : 0;
    }
  }
}

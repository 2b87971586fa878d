/**
 * Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations. Meant for the
 * 25 × 25 RCIT covariance and similar sizes (accurate to a few ulps of the largest eigenvalue); large
 * matrices go through src/linalg instead.
 *
 * `a` is row-major n × n and is not modified. Values come back ascending; `vectors` is row-major with
 * eigenvector k in column k.
 */
export function symmetricEigenSmall(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a as ArrayLike<number>);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i]! * m[i * n + i]!;
      for (let j = i + 1; j < n; j++) off += m[i * n + j]! * m[i * n + j]!;
    }
    if (off <= 1e-32 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const app = m[p * n + p]!, aqq = m[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!, mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!, mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!, vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[x * n + x]! - m[y * n + y]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = m[src * n + src]!;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values, vectors };
}

/**
 * Eigenvalues only (ascending) of a small symmetric matrix: Householder reduction to tridiagonal form
 * (EISPACK tred1) and the implicit QL iteration with Wilkinson-type shifts (EISPACK tql1). About 4/3·n³
 * flops, ~10× less than the Jacobi sweeps, and no call into OpenBLAS, whose threads wake (and then spin)
 * for every call: the RCIT null needs one 25 × 25 spectrum per test. Only the lower triangle is read.
 */
export function symmetricEigenvaluesSmall(a: ArrayLike<number>, n: number): Float64Array {
  const m = Float64Array.from(a as ArrayLike<number>);
  const d = new Float64Array(n), e = new Float64Array(n);
  // tred1: rows from the bottom; row i's part left of the diagonal becomes the Householder vector.
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    const row = i * n;
    let h = 0;
    let scale = 0;
    for (let k = 0; k <= l; k++) scale += Math.abs(m[row + k]!);
    if (l === 0 || scale === 0) {
      e[i] = m[row + l]!;
      d[i] = m[row + i]!;
      continue;
    }
    for (let k = 0; k <= l; k++) { m[row + k]! /= scale; h += m[row + k]! * m[row + k]!; }
    let f = m[row + l]!;
    let g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
    e[i] = scale * g;
    h -= f * g;
    m[row + l] = f - g;
    f = 0;
    for (let j = 0; j <= l; j++) {
      g = 0;
      for (let k = 0; k <= j; k++) g += m[j * n + k]! * m[row + k]!;
      for (let k = j + 1; k <= l; k++) g += m[k * n + j]! * m[row + k]!;
      e[j] = g / h;
      f += e[j]! * m[row + j]!;
    }
    const hh = f / (h + h);
    for (let j = 0; j <= l; j++) {
      f = m[row + j]!;
      g = e[j]! - hh * f;
      e[j] = g;
      for (let k = 0; k <= j; k++) m[j * n + k]! -= f * e[k]! + g * m[row + k]!;
    }
    d[i] = m[row + i]!;
  }
  d[0] = m[0]!;
  e[0] = 0;
  // tql1 on diagonal d and sub-diagonal e (shifted so that e[i] couples d[i] and d[i + 1]).
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  if (n > 0) e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    for (let iteration = 0; ; iteration++) {
      let mm = l;
      for (; mm < n - 1; mm++) {
        const dd = Math.abs(d[mm]!) + Math.abs(d[mm + 1]!);
        if (Math.abs(e[mm]!) <= Number.EPSILON * dd) break;
      }
      if (mm === l) break;
      if (iteration === 60) throw new Error(`symmetricEigenvaluesSmall: no convergence for eigenvalue ${l} of a ${n} × ${n} matrix`);
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[mm]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1, c = 1, p = 0;
      let i = mm - 1;
      for (; i >= l; i--) {
        const f = s * e[i]!, b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) { d[i + 1]! -= p; e[mm] = 0; break; }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (r === 0 && i >= l) continue;
      d[l]! -= p;
      e[l] = g;
      e[mm] = 0;
    }
  }
  return d.sort();
}

/**
 * LU decomposition with partial pivoting of a small dense matrix (row-major n × n), as LAPACK getrf:
 * the determinant and linear solves that momentchi2's LPB4 needs (np.linalg.det / solve).
 */
export interface LuFactors {
  n: number;
  lu: Float64Array;
  pivots: Int32Array;
  /** +1 or −1: the sign of the row permutation. */
  sign: number;
  singular: boolean;
}

export function luDecompose(a: ArrayLike<number>, n: number): LuFactors {
  const lu = Float64Array.from(a as ArrayLike<number>);
  const pivots = new Int32Array(n);
  let sign = 1, singular = false;
  for (let k = 0; k < n; k++) {
    let p = k, best = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]!);
      if (v > best) { best = v; p = i; }
    }
    pivots[k] = p;
    if (p !== k) {
      sign = -sign;
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!; lu[k * n + j] = lu[p * n + j]!; lu[p * n + j] = t;
      }
    }
    const pivot = lu[k * n + k]!;
    if (pivot === 0) { singular = true; continue; }
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k]! /= pivot);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j]! -= f * lu[k * n + j]!;
    }
  }
  return { n, lu, pivots, sign, singular };
}

export function luDeterminant(f: LuFactors): number {
  let det = f.sign;
  for (let i = 0; i < f.n; i++) det *= f.lu[i * f.n + i]!;
  return det;
}

/** Solves A x = b; throws RangeError if A is singular. */
export function luSolve(f: LuFactors, b: ArrayLike<number>): Float64Array {
  const { n, lu, pivots } = f;
  if (f.singular) throw new RangeError("luSolve: matrix is singular");
  const x = Float64Array.from(b as ArrayLike<number>);
  for (let k = 0; k < n; k++) {
    const p = pivots[k]!;
    if (p !== k) { const t = x[k]!; x[k] = x[p]!; x[p] = t; }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) x[i]! -= lu[i * n + j]! * x[j]!;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j < n; j++) x[i]! -= lu[i * n + j]! * x[j]!;
    x[i]! /= lu[i * n + i]!;
  }
  return x;
}

/**
 * Tail approximations for Q = Σ coeff_i · χ²₁ (positively weighted sums of chi-squares), ported from
 * momentchi2 0.1.8 (github.com/deanbodenham/momentchi2py @ 42b08ea, src/momentchi2/methods.py and
 * utilities.py): `hbe` (Hall–Buckley–Eagleson) and `lpb4` (Lindsay–Pilla–Basak, four support points).
 *
 * Each returns both the reference's `cdf` (what momentchi2 returns; RCIT reports 1 − cdf) and `upper`,
 * the same mixture evaluated with exact upper-tail gamma functions, which keeps precision for tiny p.
 */
import { brentq } from "./brentq.ts";
import { gammaCdf, gammaUpperTail } from "./distributions.ts";
import { luDecompose, luDeterminant, luSolve } from "./lu.ts";
import { polynomialRoots } from "./polynomial-roots.ts";

export interface WeightedChiSquareTail {
  cdf: number;
  upper: number;
}

/** Hall–Buckley–Eagleson: a shifted, scaled gamma matching the first three cumulants. */
export function hbe(coeff: ArrayLike<number>, x: number): WeightedChiSquareTail {
  let s1 = 0, s2 = 0, s3 = 0;
  for (let i = 0; i < coeff.length; i++) {
    const c = coeff[i]!;
    s1 += c; s2 += c * c; s3 += c * c * c;
  }
  const k1 = s1, k2 = 2 * s2, k3 = 8 * s3;
  const nu = (8 * k2 ** 3) / k3 ** 2;
  const shape = nu / 2;
  const xt = Math.sqrt((2 * nu) / k2) * (x - k1) + nu;
  return { cdf: gammaCdf(xt, shape, 2), upper: gammaUpperTail(xt, shape, 2) };
}

/**
 * Lindsay–Pilla–Basak with p = 4 support points. Throws (as momentchi2 does) when a coefficient or x
 * is not positive or the moment determinant has no root in the bracket; returns NaN tails when the
 * mixture is degenerate. Callers fall back to `hbe`, as causal-learn's RCIT does.
 */
export function lpb4(coeff: ArrayLike<number>, x: number, p = 4): WeightedChiSquareTail {
  for (let i = 0; i < coeff.length; i++) {
    if (!(coeff[i]! > 0)) throw new RangeError("lpb4: all coefficients need to be strictly > 0");
  }
  if (!(x > 0)) throw new RangeError("lpb4: x value needs to be strictly > 0");
  if (coeff.length < p) return hbe(coeff, x); // momentchi2's "pathological case" fallback
  const moments = weightedChiSquareMoments(coeff, p);
  const lambda1 = moments[1]! / moments[0]! ** 2 - 1;
  // get_lambdatilde_p: successive brentq roots of det(Δ_i(λ)) on [0, λ_{i−1}].
  let lambda = lambda1;
  for (let i = 1; i < p; i++) {
    const size = i + 1;
    lambda = brentq((t) => luDeterminant(luDecompose(deltaMatrix(t, moments, size), size + 1)), 0, lambda);
  }
  const mp = deltaMatrix(lambda, moments, p);
  const n = p + 1;
  // get_Stilde_poly_coeff: replace the last column by base vector i and take determinants.
  const polyCoeff = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = Float64Array.from(mp);
    for (let r = 0; r < n; r++) m[r * n + (n - 1)] = r === i ? 1 : 0;
    polyCoeff[i] = luDeterminant(luDecompose(m, n));
  }
  const mu = polynomialRoots(polyCoeff).map((r) => r.re);
  // gen_and_solve_VDM_system: Vandermonde rows mu^i, right side = first column of M_p without its last entry.
  const vdm = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) vdm[i * p + j] = mu[j]! ** i;
  const b = Array.from({ length: p }, (_, i) => mp[i * n]!);
  const lu = luDecompose(vdm, p);
  if (lu.singular) throw new RangeError("lpb4: singular Vandermonde system");
  const weights = luSolve(lu, b);
  const shape = 1 / lambda;
  let cdf = 0, upper = 0;
  for (let i = 0; i < p; i++) {
    const scale = mu[i]! / shape;
    cdf += weights[i]! * gammaCdf(x, shape, scale);
    upper += weights[i]! * gammaUpperTail(x, shape, scale);
  }
  return { cdf, upper };
}

/** Raw moments m_1 … m_2p of Σ coeff_i χ²₁, from its cumulants κ_r = 2^(r−1) (r−1)! Σ coeff^r. */
export function weightedChiSquareMoments(coeff: ArrayLike<number>, p: number): Float64Array {
  const count = 2 * p;
  const cumulants = new Float64Array(count);
  let factorial = 1;
  for (let r = 1; r <= count; r++) {
    if (r > 1) factorial *= r - 1;
    let s = 0;
    for (let i = 0; i < coeff.length; i++) s += coeff[i]! ** r;
    cumulants[r - 1] = 2 ** (r - 1) * factorial * s;
  }
  const moments = Float64Array.from(cumulants);
  for (let n = 1; n < count; n++) {
    // update_moments(n + 1): Σ_{m=1..n} C(n, m−1) κ_m μ_{n−m}
    let extra = 0;
    for (let m = 1; m <= n; m++) extra += binomial(n, m - 1) * cumulants[m - 1]! * moments[n - m]!;
    moments[n]! += extra;
  }
  return moments;
}

/** deltaNmat_applied: Δ_N(λ)[i][j] = m_{i+j} / Π_{k<i+j} (1 + c_k λ) with c = (0, 0, 1, …, 2N−1). */
function deltaMatrix(lambda: number, moments: Float64Array, size: number): Float64Array {
  const n = size + 1;
  const m = new Float64Array(2 * size + 1);
  m[0] = 1;
  for (let i = 1; i <= 2 * size; i++) m[i] = moments[i - 1]!;
  const prod = new Float64Array(2 * size + 1);
  let running = 1;
  for (let i = 0; i <= 2 * size; i++) {
    const coeff = i === 0 ? 0 : i - 1;
    running *= coeff * lambda + 1;
    prod[i] = 1 / running;
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = m[i + j]! * prod[i + j]!;
  return out;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

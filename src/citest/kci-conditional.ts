/**
 * Conditional KCI (X ⫫ Y | Z), as causal-learn 0.1.4.7 KCI_CInd with CIT(data, "kci") defaults:
 *   z-score x, y and each z column (ddof = 1); Kx on [x, ½z], Ky on y, Kz on z, all Gaussian
 *   exp(−½·θ·‖a − b‖²) with θ = 1/(w²·dim z), w = 1.2 / 0.7 / 0.4 for n < 200 / < 1200 / otherwise;
 *   centre Kx, Ky and Kz; Rz = ε·(Kz + εI)⁻¹; KxR = Rz·Kx·Rz, KyR = Rz·Ky·Rz; V = Σ KxR∘KyR.
 *   Null: eigenpairs of KxR and KyR above 1e-5 × the largest; with Ax = Vx·diag(λx)·Vxᵀ (kept pairs) and
 *   Ay likewise, uu_prod's trace is Σ_t Ax_tt·Ay_tt and trace(uu_prod²) = Σ_st (Ax_st·Ay_st)², which gives
 *   the gamma approximation without forming the n × (kx·ky) product matrix.
 * Dense O(n²) memory and O(n³) time through src/linalg (OpenBLAS when the addon is built).
 *
 * Speed: a query's three eigendecompositions depend on only part of it: Rz on the set Z, the x side
 * (KxR, Ax) on (x, Z) and the y side (KyR, Ay) on (y, Z). PC asks many pairs with the same Z, so a
 * `KciConditionalCache` (one per prepared test) keeps these by canonical key (Z sorted) in a byte-bounded
 * LRU. Every quantity is computed from the sorted Z only, so a result never depends on what was cached
 * before (parallel and sequential PC runs stay bit-identical). A query is then two n² dot products.
 */
import { ComputeError } from "../errors.ts";
import { gemm, matrix, symmetricEigen, type Matrix } from "../linalg/index.ts";
import { gammaUpperTail } from "../stats/distributions.ts";
import { zScore } from "../stats/descriptive.ts";
import { getColumn, pairLabel, type PrepareContext } from "./columns.ts";
import type { CiResult } from "./types.ts";
import type { KciOptions } from "./kci.ts";

const EIGEN_THRESHOLD = 1e-5;

/** set_width_empirical_kci applied to z: θ = 1/(w²·dim z). */
export function kciConditionalTheta(n: number, dimZ: number): number {
  const w = n < 200 ? 1.2 : n < 1200 ? 0.7 : 0.4;
  return 1 / (w * w) / dimZ;
}

/** exp(−½·θ·‖a_i − a_j‖²) over the given columns (distances summed in column order). */
function gaussianGram(columns: readonly Float64Array[], theta: number): Matrix {
  const n = columns[0]!.length;
  const d = columns.length;
  const h = -0.5 * theta;
  const k = matrix(n, n);
  const out = k.data;
  // Row-major points so the inner distance loop reads contiguous memory.
  const points = new Float64Array(n * d);
  for (let c = 0; c < d; c++) { const col = columns[c]!; for (let i = 0; i < n; i++) points[i * d + c] = col[i]!; }
  for (let i = 0; i < n; i++) {
    out[i * n + i] = 1;
    const pi = i * d;
    for (let j = i + 1; j < n; j++) {
      const pj = j * d;
      let d2 = 0;
      for (let c = 0; c < d; c++) { const t = points[pi + c]! - points[pj + c]!; d2 += t * t; }
      const v = Math.exp(h * d2);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return k;
}

/** H·K·H for the centring matrix H = I − 11ᵀ/n (K symmetric, so row sums = column sums). */
function centerInPlace(k: Matrix): Matrix {
  const n = k.rows;
  const d = k.data;
  const colSums = new Float64Array(n);
  for (let i = 0; i < n; i++) { const row = i * n; for (let j = 0; j < n; j++) colSums[j]! += d[row + j]!; }
  let all = 0;
  for (let j = 0; j < n; j++) all += colSums[j]!;
  const grand = all / (n * n);
  for (let j = 0; j < n; j++) colSums[j] = colSums[j]! / n;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const ci = grand - colSums[i]!;
    for (let j = 0; j < n; j++) d[row + j]! += ci - colSums[j]!;
  }
  return k;
}

/**
 * Ax∘Ax for Ax = V·diag(λ)·Vᵀ over the kept eigenpairs λ > threshold·max λ of ½(K + Kᵀ) (causal-learn's
 * get_uuprod symmetrises before eigh). Only the square enters the statistic's variance.
 */
function squaredReconstruction(k: Matrix): { a2: Float64Array; diag: Float64Array } {
  const n = k.rows;
  const src = k.data;
  // dsyevd reads the lower triangle only.
  const sym = matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) sym.data[i * n + j] = 0.5 * (src[i * n + j]! + src[j * n + i]!);
  const { values, vectors } = symmetricEigen(sym);
  const max = values[n - 1]!;
  const kept: number[] = [];
  for (let j = n - 1; j >= 0; j--) if (values[j]! > max * EIGEN_THRESHOLD) kept.push(j);
  const r = kept.length;
  const scaled = matrix(n, r);
  const basis = matrix(n, r);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let c = 0; c < r; c++) {
      const j = kept[c]!;
      const v = vectors.data[row + j]!;
      basis.data[i * r + c] = v;
      scaled.data[i * r + c] = v * values[j]!;
    }
  }
  const a = gemm(scaled, basis, { transB: true }).data;
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = a[i * n + i]!;
  for (let i = 0; i < a.length; i++) a[i] = a[i]! * a[i]!;
  return { a2: a, diag };
}

/** One side of a query: KR = Rz·K·Rz and the squared thresholded reconstruction of KR. */
interface Side { kr: Float64Array; a2: Float64Array; diag: Float64Array }

const entryBytes = (v: Float64Array | Side) => v instanceof Float64Array ? v.byteLength : v.kr.byteLength + v.a2.byteLength + v.diag.byteLength;

/**
 * Per-prepared-test cache of z-scored columns, Rz by Z, and the x and y sides by (variable, Z). Bounded by
 * bytes (least recently used entries go first); z-scored columns are O(n) each and kept.
 */
export class KciConditionalCache {
  private readonly columns = new Map<number, Float64Array>();
  private readonly entries = new Map<string, Float64Array | Side>();
  private bytes = 0;

  constructor(private readonly data: Matrix, private readonly maxBytes: number) {}

  column(j: number): Float64Array {
    let c = this.columns.get(j);
    if (!c) { c = zScore(getColumn(this.data, j)); this.columns.set(j, c); }
    return c;
  }

  get<T extends Float64Array | Side>(key: string, make: () => T): T {
    const hit = this.entries.get(key);
    if (hit) { this.entries.delete(key); this.entries.set(key, hit); return hit as T; }
    const value = make();
    const size = entryBytes(value);
    this.entries.set(key, value);
    this.bytes += size;
    // Evict oldest first, but never the entry just made (a query needs it even when it alone exceeds the budget).
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes || k === key) break;
      this.entries.delete(k);
      this.bytes -= entryBytes(v);
    }
    return value;
  }
}

export function kciConditional(
  data: Matrix, x: number, y: number, zs: readonly number[], options: KciOptions, context?: PrepareContext,
  cache: KciConditionalCache = new KciConditionalCache(data, 0),
): CiResult {
  const n = data.rows;
  if (n > options.maxConditionalRows) {
    throw new ComputeError(
      `kci ${pairLabel(x, y, zs, context)}: conditional KCI on ${n} rows needs several ${n} × ${n} matrices (limit ${options.maxConditionalRows} rows)`,
      "subsample the rows, raise maxConditionalRows if memory allows, or use rcit for large n",
    );
  }
  // Canonical Z: the kernels sum distances over the z columns, so their order only moves the last bits;
  // sorting makes every result a function of the set alone.
  const sortedZ = [...zs].sort((a, b) => a - b);
  const zKey = sortedZ.join(",");
  const theta = kciConditionalTheta(n, sortedZ.length);
  const eps = options.epsilon;

  const rz = cache.get(`rz|${zKey}`, () => {
    const kz = centerInPlace(gaussianGram(sortedZ.map((j) => cache.column(j)), theta));
    // Rz = ε·(Kz + εI)⁻¹ through the eigendecomposition of the symmetric Kz.
    const ez = symmetricEigen(kz);
    const scaledU = matrix(n, n);
    const shrink = new Float64Array(n);
    for (let j = 0; j < n; j++) shrink[j] = eps / (ez.values[j]! + eps);
    for (let i = 0; i < n; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) scaledU.data[row + j] = ez.vectors.data[row + j]! * shrink[j]!;
    }
    return gemm(scaledU, ez.vectors, { transB: true }).data;
  });
  const rzMatrix: Matrix = { rows: n, cols: n, data: rz };
  const side = (columns: Float64Array[]): Side => {
    const k = centerInPlace(gaussianGram(columns, theta));
    const kr = gemm(gemm(rzMatrix, k), rzMatrix);
    return { kr: kr.data, ...squaredReconstruction(kr) };
  };
  const xs = cache.get(`x|${x}|${zKey}`, () => side([cache.column(x), ...sortedZ.map((j) => cache.column(j).map((v) => 0.5 * v))]));
  const ys = cache.get(`y|${y}|${zKey}`, () => side([cache.column(y)]));

  let statistic = 0, sumSq = 0;
  const kxr = xs.kr, kyr = ys.kr, ax2 = xs.a2, ay2 = ys.a2;
  for (let i = 0; i < n * n; i++) { statistic += kxr[i]! * kyr[i]!; sumSq += ax2[i]! * ay2[i]!; }
  let meanApprox = 0;
  for (let i = 0; i < n; i++) meanApprox += xs.diag[i]! * ys.diag[i]!;
  const varApprox = 2 * sumSq;
  const shape = meanApprox ** 2 / varApprox;
  const scale = varApprox / meanApprox;
  return {
    test: "kci", statistic, pValue: gammaUpperTail(statistic, shape, scale), n,
    details: { gamma_shape: shape, gamma_scale: scale, kernel_theta: [theta, theta, theta] },
  };
}

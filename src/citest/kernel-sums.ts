/**
 * The sums that unconditional kernel tests (KCI, HSIC) need from two centred n × n Gaussian kernel
 * matrices, computed without ever forming an n × n matrix.
 *
 * Both kernels depend only on the values, so rows with equal values share kernel rows. Each side is
 * compressed to its distinct values (k of them, with counts), and the cross terms run over the distinct
 * (x, y) value pairs (m ≤ n of them) with weights count_p · count_q. Columns with few distinct values
 * (scores, months, leagues) cost O(n + k²); continuous columns cost O(m²) time and O(m) memory.
 * Centring follows the references: Kc = K − rowmean − colmean + grandmean.
 */
import { uniqueCodes } from "../stats/descriptive.ts";

/** A kernel on transformed values; must be symmetric. */
export type ScalarKernel = (a: number, b: number) => number;

export interface KernelSums {
  n: number;
  /** Σ_ij K_ij (uncentred) and trace(K), per side. */
  sumX: number; sumY: number; traceX: number; traceY: number;
  /** trace of the centred kernels. */
  traceXc: number; traceYc: number;
  /** Σ_ij Kxc_ij², Σ_ij Kyc_ij². */
  sumSqXc: number; sumSqYc: number;
  /** Σ_ij Kxc_ij·Kyc_ij (the V statistic). */
  cross: number;
  /** Σ_ij (Kxc_ij·Kyc_ij)² and its diagonal part Σ_i (Kxc_ii·Kyc_ii)². */
  crossSq: number; crossSqDiag: number;
  /** Distinct values per side and distinct pairs (for reporting the cost). */
  distinctX: number; distinctY: number; distinctPairs: number;
}

/** Sides with at most this many distinct values get a precomputed k × k centred table. */
const TABLE_LIMIT = 1200;

interface Side {
  levels: Float64Array;
  codes: Int32Array;
  counts: Float64Array;
  kernel: ScalarKernel;
  /** Row sums R[a] = Σ_b count_b K(a, b). */
  rowSums: Float64Array;
  total: number;
  trace: number;
  /** k × k centred table, when k ≤ TABLE_LIMIT. */
  table?: Float64Array;
}

function buildSide(values: Float64Array, kernel: ScalarKernel): Side {
  const { levels, codes, counts } = uniqueCodes(values);
  const k = levels.length;
  const n = values.length;
  const rowSums = new Float64Array(k);
  let raw: Float64Array | undefined;
  if (k <= TABLE_LIMIT) raw = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    const va = levels[a]!;
    const ca = counts[a]!;
    const kaa = kernel(va, va);
    if (raw) raw[a * k + a] = kaa;
    rowSums[a]! += ca * kaa;
    for (let b = a + 1; b < k; b++) {
      const kab = kernel(va, levels[b]!);
      if (raw) { raw[a * k + b] = kab; raw[b * k + a] = kab; }
      rowSums[a]! += counts[b]! * kab;
      rowSums[b]! += ca * kab;
    }
  }
  let total = 0, trace = 0;
  for (let a = 0; a < k; a++) {
    total += counts[a]! * rowSums[a]!;
    trace += counts[a]! * kernel(levels[a]!, levels[a]!);
  }
  let table: Float64Array | undefined;
  if (raw) {
    table = raw;
    const grand = total / (n * n);
    for (let a = 0; a < k; a++) {
      const ra = rowSums[a]! / n;
      for (let b = 0; b < k; b++) table[a * k + b] = raw[a * k + b]! - rowSums[b]! / n - ra + grand;
    }
  }
  return { levels, codes, counts, kernel, rowSums, total, trace, table };
}

/** Centred kernel value between distinct values a and b of a side. */
function centred(side: Side, a: number, b: number, n: number): number {
  if (side.table) return side.table[a * side.levels.length + b]!;
  return side.kernel(side.levels[a]!, side.levels[b]!) - side.rowSums[b]! / n - side.rowSums[a]! / n + side.total / (n * n);
}

/** Computes every KernelSums field for columns x and y (already transformed, no NaN). */
export function kernelSums(x: Float64Array, y: Float64Array, kernelX: ScalarKernel, kernelY: ScalarKernel): KernelSums {
  const n = x.length;
  const sx = buildSide(x, kernelX);
  const sy = buildSide(y, kernelY);
  const ky = sy.levels.length;
  // Distinct (x, y) pairs with counts.
  const pairIndex = new Map<number, number>();
  const pa: number[] = [], pb: number[] = [], pw: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = sx.codes[i]! * ky + sy.codes[i]!;
    const at = pairIndex.get(key);
    if (at === undefined) {
      pairIndex.set(key, pa.length);
      pa.push(sx.codes[i]!); pb.push(sy.codes[i]!); pw.push(1);
    } else pw[at]!++;
  }
  const m = pa.length;
  const A = Int32Array.from(pa), B = Int32Array.from(pb), W = Float64Array.from(pw);
  let cross = 0, crossSq = 0, sumSqXc = 0, sumSqYc = 0, crossSqDiag = 0;
  // Fast paths read the tables directly; the general path calls `centred` (kernel evaluated on the fly).
  const tx = sx.table, ty = sy.table;
  const kx = sx.levels.length;
  const nx = n, grandX = sx.total / (n * n), grandY = sy.total / (n * n);
  for (let p = 0; p < m; p++) {
    const ap = A[p]!, bp = B[p]!, wp = W[p]!;
    // Row-constant parts for on-the-fly sides.
    const vxp = sx.levels[ap]!, rxp = sx.rowSums[ap]! / nx;
    const vyp = sy.levels[bp]!, ryp = sy.rowSums[bp]! / nx;
    let rowCross = 0, rowCrossSq = 0, rowX2 = 0, rowY2 = 0;
    for (let q = p; q < m; q++) {
      const aq = A[q]!, bq = B[q]!;
      const kxc = tx ? tx[ap * kx + aq]! : sx.kernel(vxp, sx.levels[aq]!) - sx.rowSums[aq]! / nx - rxp + grandX;
      const kyc = ty ? ty[bp * ky + bq]! : sy.kernel(vyp, sy.levels[bq]!) - sy.rowSums[bq]! / nx - ryp + grandY;
      const w = q === p ? W[q]! * 0.5 : W[q]!; // the p = q term is counted once after doubling
      const prod = kxc * kyc;
      rowCross += w * prod;
      rowCrossSq += w * prod * prod;
      rowX2 += w * kxc * kxc;
      rowY2 += w * kyc * kyc;
    }
    cross += 2 * wp * rowCross;
    crossSq += 2 * wp * rowCrossSq;
    sumSqXc += 2 * wp * rowX2;
    sumSqYc += 2 * wp * rowY2;
    const dprod = centred(sx, ap, ap, n) * centred(sy, bp, bp, n);
    crossSqDiag += wp * dprod * dprod;
  }
  let traceXc = 0, traceYc = 0;
  for (let a = 0; a < kx; a++) traceXc += sx.counts[a]! * centred(sx, a, a, n);
  for (let b = 0; b < ky; b++) traceYc += sy.counts[b]! * centred(sy, b, b, n);
  return {
    n, sumX: sx.total, sumY: sy.total, traceX: sx.trace, traceY: sy.trace, traceXc, traceYc,
    sumSqXc, sumSqYc, cross, crossSq, crossSqDiag,
    distinctX: kx, distinctY: ky, distinctPairs: m,
  };
}

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
import { wasmPairLoop } from "./wasm-pair-loop.ts";

/** A kernel on transformed values; must be symmetric. */
export type ScalarKernel = (a: number, b: number) => number;

/** A Gaussian kernel exp(−h·(a − b)²) may carry its h so hot loops can inline it (same arithmetic). */
export type GaussianTagged = ScalarKernel & { gaussianH?: number; hsic32?: { gamma: number; alpha32: number } };

/**
 * Kernel values below e^-50 (≈ 2e-22) are treated as 0 when both values are farther apart than the
 * kernel's `maxDistance`. Summed over at most n² = 2.5e7 pairs that changes any sum by < 1e-14
 * absolute, far below the 1e-9 agreement with the reference, and skips most pairs of wide-range columns.
 */
export const NEGLIGIBLE_LOG_KERNEL = 50;

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

function buildSide(values: Float64Array, kernel: ScalarKernel, withRowSums = true): Side {
  const { levels, codes, counts } = uniqueCodes(values);
  const k = levels.length;
  const n = values.length;
  const rowSums = new Float64Array(k);
  let raw: Float64Array | undefined;
  if (k <= TABLE_LIMIT) raw = new Float64Array(k * k);
  else if (!withRowSums) return { levels, codes, counts, kernel, rowSums, total: Number.NaN, trace: Number.NaN };
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
export function kernelSums(
  x: Float64Array, y: Float64Array, kernelX: ScalarKernel, kernelY: ScalarKernel,
  maxDistance: { x?: number; y?: number } = {},
  /** HSIC needs Σ(Kxc·Kyc)²; KCI does not, which saves a third of the work on continuous columns. */
  needCrossSq = true,
): KernelSums {
  const n = x.length;
  // Row sums of a large side are only needed on the general path; smallLarge gets them in its own pass.
  const lazy = distinctAtMost(x, SMALL_SIDE) || distinctAtMost(y, SMALL_SIDE);
  const sx = buildSide(x, kernelX, !lazy);
  const sy = buildSide(y, kernelY, !lazy);
  // Both sides with few distinct values: matrix products on the k_x × k_y contingency table, costing
  // ~k_x²·k_y. Continuous columns of a few hundred rows also fit the tables, but there the pair loop over
  // the m ≤ n distinct (x, y) pairs (~m²/2, tables read directly) is far cheaper: 500 rows cost 1.25e8
  // vs 1.25e5 steps, which made unconditional KCI in PC take ~0.4 s per query.
  if (sx.table && sy.table && sx.levels.length * sy.levels.length <= 4_000_000) {
    const kx = sx.levels.length, ky = sy.levels.length;
    if (kx * kx * ky <= distinctPairCount(sx.codes, sy.codes, ky) ** 2) return smallSmall(sx, sy, n);
    return kernelSumsGeneral(x, y, sx, sy);
  }
  // One small side (scores, codes) and one large (continuous): the one-pass O(k_large²) path.
  // smallLarge reports its small side as "x"; swap back when the small side is y.
  // Its accumulators take O(n · k_small) memory, so very large inputs use the general O(n) path instead.
  const fits = (small: Side) => small.levels.length <= SMALL_SIDE && n * small.levels.length <= SMALL_LARGE_CELLS;
  if (sx.table && !sy.table && fits(sx)) return smallLarge(sx, sy, y, maxDistance.y ?? Infinity, needCrossSq);
  if (sy.table && !sx.table && fits(sy)) return swapSides(smallLarge(sy, sx, x, maxDistance.x ?? Infinity, needCrossSq));
  if (Number.isNaN(sx.total) || Number.isNaN(sy.total)) {
    // The lazy side skipped its row sums but the one-pass path does not fit: build them now.
    return kernelSumsGeneral(x, y, buildSide(x, kernelX), buildSide(y, kernelY));
  }
  return kernelSumsGeneral(x, y, sx, sy);
}

/** The general path: O(m²) over distinct (x, y) pairs with O(m) memory. */
function kernelSumsGeneral(x: Float64Array, y: Float64Array, sx: Side, sy: Side): KernelSums {
  const n = x.length;
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

/** The number of distinct (x, y) code pairs. */
function distinctPairCount(codesX: Int32Array, codesY: Int32Array, ky: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < codesX.length; i++) seen.add(codesX[i]! * ky + codesY[i]!);
  return seen.size;
}

function distinctAtMost(values: Float64Array, limit: number): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    seen.add(values[i]!);
    if (seen.size > limit) return false;
  }
  return true;
}


/** Per distinct v value c and category b: u[c·kt + b] = Σ_{j: t_j = b} K(v_c, v_j), u2 likewise with K². */
interface PairSums { u: Float64Array; u2: Float64Array; sumK2Off: number }

/** The pair loop in JavaScript (any kernel). */
function jsPairs(levels: Float64Array, entryStart: Int32Array, entryT: Int32Array, entryW: Float64Array, kt: number,
  kernel: ScalarKernel, maxDistance: number, needCrossSq: boolean): PairSums {
  const kv = levels.length;
  const u = new Float64Array(kv * kt), u2 = new Float64Array(kv * kt);
  // Without needCrossSq only the total Σ Kv² is kept (off-diagonal pairs of the fast path go here).
  let sumK2Off = 0;
  // exp(−h·d²) kernels (KCI, hsic-std) are inlined below; V8 does not inline the closure call.
  const h = (kernel as GaussianTagged).gaussianH;
  for (let c = 0; c < kv; c++) {
    const vc = levels[c]!;
    const cStart = entryStart[c]!, cEnd = entryStart[c + 1]!;
    // d = c: the pairs inside one v level.
    const kcc = kernel(vc, vc);
    for (let e = cStart; e < cEnd; e++) {
      u[c * kt + entryT[e]!]! += kcc * entryW[e]!;
      u2[c * kt + entryT[e]!]! += kcc * kcc * entryW[e]!;
    }
    const limit = vc + maxDistance;
    const single = cEnd - cStart === 1;
    const tcC = entryT[cStart]!, wC = entryW[cStart]!;
    const rowC = c * kt;
    for (let d = c + 1; d < kv; d++) {
      const vd = levels[d]!;
      if (vd > limit) break;
      let k: number;
      if (h !== undefined) { const diff = vc - vd; k = Math.exp(-h * (diff * diff)); } else k = kernel(vc, vd);
      const k2 = k * k;
      const dStart = entryStart[d]!, dEnd = entryStart[d + 1]!;
      if (single && dEnd - dStart === 1) {
        // The common continuous case: one row per distinct value on both ends.
        const wD = entryW[dStart]!, atC = rowC + entryT[dStart]!, atD = d * kt + tcC;
        u[atC]! += k * wD;
        u[atD]! += k * wC;
        if (needCrossSq) { u2[atC]! += k2 * wD; u2[atD]! += k2 * wC; } else sumK2Off += k2 * wC * wD;
        continue;
      }
      for (let e = dStart; e < dEnd; e++) {
        const w = entryW[e]!, at = rowC + entryT[e]!;
        u[at]! += k * w; u2[at]! += k2 * w;
      }
      for (let e = cStart; e < cEnd; e++) {
        const w = entryW[e]!, at = d * kt + entryT[e]!;
        u[at]! += k * w; u2[at]! += k2 * w;
      }
    }
  }
  return { u, u2, sumK2Off };
}

/**
 * The same sums from the WebAssembly loop (wasm-pair-loop.ts) over points = (value, category) entries
 * in value order. A level's full row is its first point's row: pairs after it (u), before it (uT), itself.
 */
function wasmPairs(levels: Float64Array, entryStart: Int32Array, entryT: Int32Array, entryW: Float64Array, kt: number,
  kernel: ScalarKernel, maxDistance: number, needCrossSq: boolean): PairSums {
  const kv = levels.length;
  const m = entryT.length;
  const values = new Float64Array(m);
  for (let c = 0; c < kv; c++) for (let e = entryStart[c]!; e < entryStart[c + 1]!; e++) values[e] = levels[c]!;
  const tagged = kernel as GaussianTagged;
  const r = wasmPairLoop({
    values, categories: entryT, weights: entryW, kt, maxDistance, needSq: needCrossSq,
    kernel: tagged.gaussianH !== undefined ? { kind: "gaussian", h: tagged.gaussianH } : { kind: "hsic32", ...tagged.hsic32! },
  });
  const u = new Float64Array(kv * kt), u2 = new Float64Array(kv * kt);
  let diagSq = 0;
  for (let c = 0; c < kv; c++) {
    const p0 = entryStart[c]!;
    const self = kernel(levels[c]!, levels[c]!);
    for (let b = 0; b < kt; b++) {
      u[c * kt + b] = r.u[p0 * kt + b]! + r.uT[b * m + p0]!;
      if (needCrossSq) u2[c * kt + b] = r.u2![p0 * kt + b]! + r.u2T![b * m + p0]!;
    }
    u[c * kt + entryT[p0]!]! += self * entryW[p0]!;
    if (needCrossSq) u2[c * kt + entryT[p0]!]! += self * self * entryW[p0]!;
    for (let e = p0; e < entryStart[c + 1]!; e++) diagSq += self * self * entryW[e]! * entryW[e]!;
  }
  // Without needCrossSq the caller adds 2·sumK2Off to Σ_ab G2 (which is 0 here): Σ_ij K² = Σ_p w_p²K_pp² + 2Σ_{p<q}.
  return { u, u2, sumK2Off: needCrossSq ? 0 : (diagSq + r.sumK2Off) / 2 };
}

/** The small side of smallLarge() may have at most this many distinct values (memory m × k). */
const SMALL_SIDE = 256;
/** … and n × k_small at most this (4 accumulators of 8 bytes each: ≤ 256 MB). */
const SMALL_LARGE_CELLS = 8_000_000;

function swapSides(s: KernelSums): KernelSums {
  return {
    ...s, sumX: s.sumY, sumY: s.sumX, traceX: s.traceY, traceY: s.traceX, traceXc: s.traceYc, traceYc: s.traceXc,
    sumSqXc: s.sumSqYc, sumSqYc: s.sumSqXc, distinctX: s.distinctY, distinctY: s.distinctX,
  };
}

/**
 * Sums when side t has few distinct values (centred table Tc) and side v many. Returned with t as "x".
 * With Uv[c][b] = Σ_{j: t_j = b} Kv(v_c, v_j) (and U2v with Kv²), one pass over the pairs of distinct v
 * values gives everything:
 *   cross   = Σ_ab Tc[a,b]·G[a,b],  G[a,b] = Σ_{i∈a, j∈b} Kv_ij (rows of Tc sum to 0, so Kv needs no centring)
 *   ΣKvc²   = ΣKv² − (2/n)·Σ_i R_i² + S²/n²
 *   crossSq = Σ_ij W·(Kv − s_i − s_j)², W = Tc², s_i = R_i/n − S/(2n²), expanded into G2, Uv and
 *             per-category sums of s and s².
 * Levels are sorted, so the inner loop stops once the kernel is negligible (NEGLIGIBLE_LOG_KERNEL).
 */
function smallLarge(t: Side, v: Side, vValues: Float64Array, maxDistance: number, needCrossSq: boolean): KernelSums {
  const n = vValues.length;
  const kt = t.levels.length, kv = v.levels.length;
  const tc = t.table!;
  // Rows of each v level, grouped by t level: entries (tCode, count).
  const entryStart = new Int32Array(kv + 1);
  const pairCount = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = v.codes[i]! * kt + t.codes[i]!;
    pairCount.set(key, (pairCount.get(key) ?? 0) + 1);
  }
  const keys = [...pairCount.keys()].sort((a, b) => a - b);
  const entryT = new Int32Array(keys.length), entryW = new Float64Array(keys.length);
  keys.forEach((key, e) => {
    const c = Math.floor(key / kt);
    entryT[e] = key - c * kt;
    entryW[e] = pairCount.get(key)!;
    entryStart[c + 1]!++;
  });
  for (let c = 0; c < kv; c++) entryStart[c + 1]! += entryStart[c]!;
  const levels = v.levels, kernel = v.kernel;
  const tagged = kernel as GaussianTagged;
  const pairs = tagged.gaussianH !== undefined || tagged.hsic32 !== undefined
    ? wasmPairs(levels, entryStart, entryT, entryW, kt, kernel, maxDistance, needCrossSq)
    : jsPairs(levels, entryStart, entryT, entryW, kt, kernel, maxDistance, needCrossSq);
  const { u, u2 } = pairs;
  let sumK2Off = pairs.sumK2Off;
  // Row sums and grand total of Kv; the centring offsets s_c.
  const rowSums = new Float64Array(kv);
  let total = 0, traceV = 0;
  for (let c = 0; c < kv; c++) {
    let r = 0;
    for (let b = 0; b < kt; b++) r += u[c * kt + b]!;
    rowSums[c] = r;
    total += v.counts[c]! * r;
    traceV += v.counts[c]! * kernel(levels[c]!, levels[c]!);
  }
  const sOff = new Float64Array(kv);
  for (let c = 0; c < kv; c++) sOff[c] = rowSums[c]! / n - total / (2 * n * n);
  const g = new Float64Array(kt * kt), g2 = new Float64Array(kt * kt);
  const q1 = new Float64Array(kt), q2 = new Float64Array(kt);
  let sumSqRow = 0, crossDiag = 0, linear = 0;
  const w = new Float64Array(kt * kt);
  for (let i = 0; i < kt * kt; i++) w[i] = tc[i]! * tc[i]!;
  for (let c = 0; c < kv; c++) {
    sumSqRow += v.counts[c]! * rowSums[c]! ** 2;
    const kvcDiag = kernel(levels[c]!, levels[c]!) - (2 * rowSums[c]!) / n + total / (n * n);
    for (let e = entryStart[c]!; e < entryStart[c + 1]!; e++) {
      const a = entryT[e]!, cnt = entryW[e]!;
      let wu = 0;
      for (let b = 0; b < kt; b++) {
        g[a * kt + b]! += cnt * u[c * kt + b]!;
        g2[a * kt + b]! += cnt * u2[c * kt + b]!;
        wu += w[a * kt + b]! * u[c * kt + b]!;
      }
      linear += cnt * sOff[c]! * wu;
      q1[a]! += cnt * sOff[c]!;
      q2[a]! += cnt * sOff[c]! ** 2;
      const d = tc[a * kt + a]! * kvcDiag;
      crossDiag += cnt * d * d;
    }
  }
  let cross = 0, sumKv2 = 0, crossSq = 0, sumSqTc = 0;
  for (let a = 0; a < kt; a++) {
    for (let b = 0; b < kt; b++) {
      const at = a * kt + b;
      cross += tc[at]! * g[at]!;
      sumKv2 += g2[at]!;
      crossSq += w[at]! * g2[at]! + 2 * w[at]! * t.counts[b]! * q2[a]! + 2 * w[at]! * q1[a]! * q1[b]!;
      sumSqTc += t.counts[a]! * t.counts[b]! * w[at]!;
    }
  }
  crossSq -= 4 * linear;
  if (!needCrossSq) { sumKv2 += 2 * sumK2Off; crossSq = Number.NaN; }
  const sumSqVc = sumKv2 - (2 / n) * sumSqRow + (total * total) / (n * n);
  let traceTc = 0;
  for (let a = 0; a < kt; a++) traceTc += t.counts[a]! * tc[a * kt + a]!;
  return {
    n, sumX: t.total, sumY: total, traceX: t.trace, traceY: traceV, traceXc: traceTc, traceYc: traceV - total / n,
    sumSqXc: sumSqTc, sumSqYc: sumSqVc, cross, crossSq, crossSqDiag: crossDiag,
    distinctX: kt, distinctY: kv, distinctPairs: keys.length,
  };
}

/**
 * Both sides tabulated (centred tables Tx, Ty; joint counts N, k_x × k_y):
 *   cross   = Σ_ac N[a,c]·(Tx·N·Ty)[a,c]
 *   crossSq = Σ_ac N[a,c]·(Wx·N·Wy)[a,c] with W = T∘T
 * in O(k_x·k_y·(k_x + k_y)) instead of O(pairs²).
 */
function smallSmall(sx: Side, sy: Side, n: number): KernelSums {
  const kx = sx.levels.length, ky = sy.levels.length;
  const tx = sx.table!, ty = sy.table!;
  const counts = new Float64Array(kx * ky);
  for (let i = 0; i < n; i++) counts[sx.codes[i]! * ky + sy.codes[i]!]!++;
  const wx = tx.map((v) => v * v), wy = ty.map((v) => v * v);
  // (A·N·B) for symmetric A (kx × kx), B (ky × ky): first M = N·B (kx × ky), then A·M.
  const sandwich = (a: Float64Array, b: Float64Array): Float64Array => {
    const m = new Float64Array(kx * ky);
    for (let i = 0; i < kx; i++) {
      for (let c = 0; c < ky; c++) {
        const nic = counts[i * ky + c]!;
        if (nic === 0) continue;
        for (let d = 0; d < ky; d++) m[i * ky + d]! += nic * b[c * ky + d]!;
      }
    }
    const out = new Float64Array(kx * ky);
    for (let r = 0; r < kx; r++) {
      for (let i = 0; i < kx; i++) {
        const coef = a[r * kx + i]!;
        if (coef === 0) continue;
        for (let d = 0; d < ky; d++) out[r * ky + d]! += coef * m[i * ky + d]!;
      }
    }
    return out;
  };
  const txNty = sandwich(tx, ty);
  const wxNwy = sandwich(wx, wy);
  let cross = 0, crossSq = 0, crossSqDiag = 0;
  for (let a = 0; a < kx; a++) {
    for (let c = 0; c < ky; c++) {
      const nac = counts[a * ky + c]!;
      if (nac === 0) continue;
      cross += nac * txNty[a * ky + c]!;
      crossSq += nac * wxNwy[a * ky + c]!;
      const d = tx[a * kx + a]! * ty[c * ky + c]!;
      crossSqDiag += nac * d * d;
    }
  }
  let sumSqXc = 0, sumSqYc = 0, traceXc = 0, traceYc = 0;
  for (let a = 0; a < kx; a++) {
    traceXc += sx.counts[a]! * tx[a * kx + a]!;
    for (let b = 0; b < kx; b++) sumSqXc += sx.counts[a]! * sx.counts[b]! * wx[a * kx + b]!;
  }
  for (let c = 0; c < ky; c++) {
    traceYc += sy.counts[c]! * ty[c * ky + c]!;
    for (let d = 0; d < ky; d++) sumSqYc += sy.counts[c]! * sy.counts[d]! * wy[c * ky + d]!;
  }
  let pairs = 0;
  for (const v of counts) if (v > 0) pairs++;
  return {
    n, sumX: sx.total, sumY: sy.total, traceX: sx.trace, traceY: sy.trace, traceXc, traceYc,
    sumSqXc, sumSqYc, cross, crossSq, crossSqDiag, distinctX: kx, distinctY: ky, distinctPairs: pairs,
  };
}

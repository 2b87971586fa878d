/**
 * Randomized independence tests with random Fourier features, as causal-learn 0.1.4.7
 * (causallearn/utils/RCIT/RCIT.py): RIT when unconditional, RCIT (RCoT with the y block = [y, z]) when
 * conditional, both with `approx = "lpd4"` (Lindsay–Pilla–Basak, falling back to Hall–Buckley–Eagleson
 * when LPB4 fails) from momentchi2 (src/stats/weighted-chi-square.ts).
 *
 * Random draws come from a `DrawSource` (draws.ts): our seeded Rng by default, or a recorded sequence.
 * The order of draws is the reference's: [z block (100 × d, 100 × 1)], x block (5 × 1, 5 × 1), y block.
 * p is the upper tail of the approximating mixture computed directly (the reference's 1 − cdf, clipped
 * at 0, loses everything below ~1e-16).
 */
import { ComputeError } from "../errors.ts";
import { hbe, lpb4 } from "../stats/weighted-chi-square.ts";
import { gemm, matrix, type Matrix } from "../linalg/index.ts";
import { symmetricEigenvaluesSmall } from "../stats/symmetric-eigen-small.ts";
import { Rng } from "../util/rng.ts";
import { uniqueCodes } from "../stats/descriptive.ts";
import { selectKthInPlace } from "../stats/select-kth.ts";
import { checkQuery, getColumn, pairLabel } from "./columns.ts";
import { rngDrawSource, type DrawSource } from "./draws.ts";
import { enumOption, numberOption, optionalOption, optionSchema, type OptionValues } from "./options.ts";
import type { CiResult, CiTest } from "./types.ts";

const rcitFields = {
  seed: numberOption(0, "seed of the random Fourier features (ignored when drawSource is given)", { integer: true, min: 0 }),
  numFeatures: numberOption(5, "random features for x and y (num_f2)", { integer: true, positive: true }),
  numFeaturesZ: numberOption(100, "random features for the conditioning set (num_f)", { integer: true, positive: true }),
  approx: enumOption(["lpb4", "hbe"], "lpb4", "null approximation"),
  drawSource: optionalOption((v): v is DrawSource => typeof v === "object" && v !== null && "normal" in v, "a DrawSource (an object with normal())",
    "where random draws come from (tests inject recorded draws)"),
};
export const RcitOptions = optionSchema(rcitFields);
export type RcitOptions = OptionValues<typeof rcitFields>;

/** A column-major block: cols arrays of length n. */
type Block = Float64Array[];

/** out = (c − mean) / sd (sample sd, n − 1); `out` may be `c` itself. */
function standardizeInto(c: Float64Array, out: Float64Array): Float64Array {
  const n = c.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += c[i]!;
  const m = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (c[i]! - m) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  for (let i = 0; i < n; i++) out[i] = (c[i]! - m) / sd;
  return out;
}

function standardizeColumns(block: Block): Block {
  return block.map((c) => standardizeInto(c, new Float64Array(c.length)));
}

/**
 * Median of the non-zero Euclidean distances among the first min(n, 500) rows (RCIT's sigma). For one
 * column with repeated values (scores, codes) the distances are taken over distinct values with
 * multiplicities, which gives the same median in O(k²) instead of O(500²).
 */
export function rcitSigma(block: Block): number {
  const n = Math.min(block[0]!.length, 500);
  if (block.length === 1) return medianPairwiseDistance1d(block[0]!.subarray(0, n));
  // Rows packed contiguously, and the median taken over squared distances: √ is monotone, so
  // √(median of d²) is exactly the median of the distances (also for the even-count average of the two
  // middle values), without 125k square roots.
  const dims = block.length;
  const rows = new Float64Array(n * dims);
  for (let c = 0; c < dims; c++) { const col = block[c]!; for (let i = 0; i < n; i++) rows[i * dims + c] = col[i]!; }
  const d = new Float64Array((n * (n - 1)) / 2);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const oi = i * dims;
    for (let j = i + 1; j < n; j++) {
      const oj = j * dims;
      let s = 0;
      for (let c = 0; c < dims; c++) { const t = rows[oi + c]! - rows[oj + c]!; s += t * t; }
      if (s !== 0) d[m++] = s;
    }
  }
  if (m === 0) return 0;
  const squared = d.subarray(0, m);
  if (m % 2) return Math.sqrt(selectKthInPlace(squared, m >> 1));
  const upper = selectKthInPlace(squared, m >> 1);
  let lower = -Infinity; // the lower middle: the largest value left of m/2 after selection
  for (let i = 0; i < m >> 1; i++) if (squared[i]! > lower) lower = squared[i]!;
  return (Math.sqrt(lower) + Math.sqrt(upper)) / 2;
}

/**
 * Median of the non-zero |v_i − v_j| (i < j) of one column, exactly, in O(k log range) for k distinct
 * values: bisection on the distance with a two-pointer count of the pairs at most that far apart
 * (weighted by value multiplicities), then the smallest actual distance above the final lower bound.
 * Distances are reported as √(d²), as scipy's pdist computes them.
 */
function medianPairwiseDistance1d(values: Float64Array): number {
  const { levels, counts } = uniqueCodes(values);
  const k = levels.length;
  if (k < 2) return 0;
  const prefix = new Float64Array(k + 1);
  for (let a = 0; a < k; a++) prefix[a + 1] = prefix[a]! + counts[a]!;
  let sumSq = 0;
  for (let a = 0; a < k; a++) sumSq += counts[a]! * counts[a]!;
  const total = (prefix[k]! * prefix[k]! - sumSq) / 2; // pairs with a non-zero distance
  /** Number of pairs with 0 < distance ≤ t. */
  const countAtMost = (t: number) => {
    let c = 0, b = 0;
    for (let a = 0; a < k; a++) {
      if (b < a) b = a;
      while (b + 1 < k && levels[b + 1]! - levels[a]! <= t) b++;
      c += counts[a]! * (prefix[b + 1]! - prefix[a + 1]!);
    }
    return c;
  };
  /** The distance at 0-based rank r. */
  const kth = (r: number) => {
    let lo = 0, hi = levels[k - 1]! - levels[0]!;
    for (let iteration = 0; iteration < 200; iteration++) {
      const mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) break;
      if (countAtMost(mid) >= r + 1) hi = mid; else lo = mid;
    }
    // The smallest distance above lo.
    let best = Infinity, b = 0;
    for (let a = 0; a < k; a++) {
      if (b <= a) b = a + 1;
      while (b < k && levels[b]! - levels[a]! <= lo) b++;
      if (b < k) best = Math.min(best, levels[b]! - levels[a]!);
    }
    return Math.sqrt(best * best);
  };
  return total % 2 ? kth((total - 1) / 2) : (kth(total / 2 - 1) + kth(total / 2)) / 2;
}

/**
 * random_fourier_features followed by column standardization (ddof = 1). Feature k is row k of one
 * numF × n matrix (so the conditional test can hand the block to gemm without copying); the returned
 * block's columns are views of those rows. Standardizing in place is the same arithmetic as
 * standardizeColumns without a second allocation per feature.
 */
function fourierFeatureRows(block: Block, numF: number, sigma: number, draws: DrawSource): { rows: Matrix; block: Block } {
  const dims = block.length;
  const n = block[0]!.length;
  const s = sigma === 0 || Number.isNaN(sigma) ? 1 : sigma;
  const normal = draws.normal(numF, dims);
  const uniform = draws.uniform(numF, 1);
  const inv = 1 / s;
  const rows = matrix(numF, n);
  const features: Block = [];
  const w = new Float64Array(dims);
  for (let k = 0; k < numF; k++) {
    for (let c = 0; c < dims; c++) w[c] = inv * normal[k * dims + c]!;
    const b = 2 * Math.PI * uniform[k]!;
    const f = rows.data.subarray(k * n, (k + 1) * n);
    if (dims === 1) {
      // One column (every Level I cell): the same arithmetic without the inner loop (0 + w·x = w·x).
      const w0 = w[0]!, x0 = block[0]!;
      for (let i = 0; i < n; i++) f[i] = Math.SQRT2 * Math.cos(w0 * x0[i]! + b);
    } else {
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let c = 0; c < dims; c++) acc += w[c]! * block[c]![i]!;
        f[i] = Math.SQRT2 * Math.cos(acc + b);
      }
    }
    features.push(standardizeInto(f, f));
  }
  return { rows, block: features };
}

function fourierFeatures(block: Block, numF: number, sigma: number, draws: DrawSource): Block {
  return fourierFeatureRows(block, numF, sigma, draws).block;
}

function centerColumns(block: Block): Block {
  return block.map((c) => {
    let s = 0;
    for (let i = 0; i < c.length; i++) s += c[i]!;
    const m = s / c.length;
    const out = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) out[i] = c[i]! - m;
    return out;
  });
}

/** aᵀb / divisor for column blocks (p × q result, row-major). */
function crossProduct(a: Block, b: Block, divisor: number): Float64Array {
  const out = new Float64Array(a.length * b.length);
  const symmetric = a === b;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i]!;
    for (let j = symmetric ? i : 0; j < b.length; j++) {
      const bj = b[j]!;
      let s = 0;
      for (let t = 0; t < ai.length; t++) s += ai[t]! * bj[t]!;
      out[i * b.length + j] = s / divisor;
      if (symmetric) out[j * b.length + i] = s / divisor;
    }
  }
  return out;
}

/** Null distribution of n·ΣC² from the residual products, then the p-value. */
function nullApproximation(resX: Block, resY: Block, statistic: number, approx: "lpb4" | "hbe") {
  const n = resX[0]!.length;
  const px = resX.length, py = resY.length, k = px * py;
  // Cov = RᵀR/n with R[i, a·py + b] = resX_a[i]·resY_b[i] (pairs x-feature-major, as the reference).
  // Entry ((a,b),(c,d)) = Σ_i (x_a x_c)(y_b y_d)/n, so only the px(px+1)/2 × py(py+1)/2 distinct dot
  // products of the pairwise products are computed (225 instead of 325 for 5 × 5 features).
  // Pairwise products as the columns of an n × (dim(dim+1)/2) row-major matrix.
  const pairProducts = (block: Block) => {
    const dim = block.length, width = (dim * (dim + 1)) / 2;
    const out = matrix(n, width);
    let col = 0;
    for (let a = 0; a < dim; a++) {
      for (let c = a; c < dim; c++, col++) {
        const ba = block[a]!, bc = block[c]!, data = out.data;
        for (let i = 0; i < n; i++) data[i * width + col] = ba[i]! * bc[i]!;
      }
    }
    return out;
  };
  const xx = pairProducts(resX), yy = pairProducts(resY);
  const wx = xx.cols, wy = yy.cols;
  // M = xxᵀ·yy in row blocks small enough (m·n·k ≤ 250,000) that OpenBLAS runs each dgemm on the calling
  // thread: for one large call it wakes its sleeping threads, which costs ~2 ms when the calls are spread
  // out as here (measured: 40 cells 78 ms vs 6 ms).
  const chunk = Math.max(64, Math.floor(250_000 / (wx * wy)));
  const m = new Float64Array(wx * wy);
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    const part = gemm(
      { rows: end - start, cols: wx, data: xx.data.subarray(start * wx, end * wx) },
      { rows: end - start, cols: wy, data: yy.data.subarray(start * wy, end * wy) },
      { transA: true },
    ).data;
    for (let q = 0; q < part.length; q++) m[q]! += part[q]!;
  }
  const sym = (dim: number) => { // index of the unordered pair (a, c) in the order above
    const at = new Int32Array(dim * dim);
    let t = 0;
    for (let a = 0; a < dim; a++) for (let c = a; c < dim; c++) { at[a * dim + c] = t; at[c * dim + a] = t; t++; }
    return at;
  };
  const xi = sym(px), yi = sym(py);
  const cov = new Float64Array(k * k);
  for (let a = 0; a < px; a++) for (let b = 0; b < py; b++) for (let c = 0; c < px; c++) for (let d = 0; d < py; d++) {
    cov[(a * py + b) * k + (c * py + d)] = m[xi[a * px + c]! * wy + yi[b * py + d]!]! / n;
  }
  // Eigenvalues only, in JavaScript (tred1 + tql1): a 25 × 25 problem, where LAPACK's dsyevd costs more in
  // waking OpenBLAS threads than in arithmetic.
  const values = symmetricEigenvaluesSmall(cov, k);
  const weights = Array.from(values).filter((v) => v > 0);
  let used: "lpb4" | "hbe" = approx;
  let tail;
  if (approx === "lpb4") {
    try {
      tail = lpb4(weights, statistic);
      if (Number.isNaN(tail.cdf)) { used = "hbe"; tail = hbe(weights, statistic); }
    } catch {
      used = "hbe";
      tail = hbe(weights, statistic);
    }
  } else tail = hbe(weights, statistic);
  return { pValue: Math.max(0, tail.upper), used, weights };
}

export function rit(x: Block, y: Block, draws: DrawSource, options: RcitOptions): Omit<CiResult, "test"> {
  const n = x[0]!.length;
  const dx = standardizeColumns(x), dy = standardizeColumns(y);
  const sigmaX = rcitSigma(dx), sigmaY = rcitSigma(dy);
  const fx = fourierFeatures(dx, options.numFeatures, sigmaX, draws);
  const fy = fourierFeatures(dy, options.numFeatures, sigmaY, draws);
  const rx = centerColumns(fx), ry = centerColumns(fy);
  const cxy = crossProduct(rx, ry, n - 1);
  let sum = 0;
  for (const v of cxy) sum += v * v;
  const statistic = n * sum;
  const nul = nullApproximation(rx, ry, statistic, options.approx);
  return { statistic, pValue: nul.pValue, n, details: { sigma: { x: sigmaX, y: sigmaY }, null_approx: nul.used } };
}

export function rcitConditional(x: Block, y: Block, zBlock: Block, draws: DrawSource, options: RcitOptions): Omit<CiResult, "test"> {
  const n = x[0]!.length;
  const dx = standardizeColumns(x), dz = standardizeColumns(zBlock);
  const dy = [...standardizeColumns(y), ...dz]; // rcit=True: y block = [y, z]
  const sigmaX = rcitSigma(dx), sigmaY = rcitSigma(dy), sigmaZ = rcitSigma(dz);
  const { rows: fzRows, block: fz } = fourierFeatureRows(dz, options.numFeaturesZ, sigmaZ, draws);
  const fx = fourierFeatures(dx, options.numFeatures, sigmaX, draws);
  const fy = fourierFeatures(dy, options.numFeatures, sigmaY, draws);
  const q = fz.length, px = fx.length, py = fy.length;
  // The O(n·q²) and O(n·q) products go through gemm on features packed as rows (feature k = row k of a
  // q × n matrix): with one Float64Array per feature the JS dot products took ~30 ms of a ~40 ms call.
  const packRows = (block: Block): Matrix => {
    const out = matrix(block.length, n);
    block.forEach((c, k) => out.data.set(c, k * n));
    return out;
  };
  // Czz = cov(f_z) + 1e-10·I, inverted through its Cholesky factor: inv(L)ᵀ·inv(L).
  const fzc = matrix(q, n);
  for (let k = 0; k < q; k++) { // centred rows (np.cov centres even standardized features)
    const f = fz[k]!, off = k * n;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += f[i]!;
    const m = sum / n;
    for (let i = 0; i < n; i++) fzc.data[off + i] = f[i]! - m;
  }
  const czz = gemm(fzc, fzc, { transB: true, alpha: 1 / (n - 1) }).data;
  for (let i = 0; i < q; i++) czz[i * q + i]! += 1e-10;
  const iczz = inverseViaCholesky(czz, q);
  const cxy = crossProduct(fx, fy, n - 1);
  // [Cxz; Cyz] = [f_x; f_y]·f_zᵀ/(n − 1) in one call: rows 0..px−1 are Cxz (px × q), the rest Czyᵀ.
  const cwz = gemm(packRows([...fx, ...fy]), fzRows, { transB: true, alpha: 1 / (n - 1) }).data;
  const cxz = cwz.subarray(0, px * q);
  // Mx = iCzz·Cxzᵀ (q × px), My = iCzz·Czy (q × py)
  const mx = new Float64Array(q * px), my = new Float64Array(q * py);
  for (let i = 0; i < q; i++) {
    for (let k = 0; k < q; k++) {
      const v = iczz[i * q + k]!;
      for (let a = 0; a < px; a++) mx[i * px + a]! += v * cwz[a * q + k]!;
      for (let b = 0; b < py; b++) my[i * py + b]! += v * cwz[(px + b) * q + k]!;
    }
  }
  let sum = 0;
  for (let a = 0; a < px; a++) {
    for (let b = 0; b < py; b++) {
      let s = 0;
      for (let k = 0; k < q; k++) s += cxz[a * q + k]! * my[k * py + b]!;
      const v = cxy[a * py + b]! - s;
      sum += v * v;
    }
  }
  const statistic = n * sum;
  // Residuals f − f_z·M: (Mᵀ·F_z) is cols × n, so row a is the fitted part of feature a.
  const residual = (f: Block, m: Float64Array, cols: number): Block => {
    const fitted = gemm({ rows: q, cols, data: m }, fzRows, { transA: true }).data;
    return f.map((fc, a) => {
      const out = Float64Array.from(fc);
      const off = a * n;
      for (let i = 0; i < n; i++) out[i]! -= fitted[off + i]!;
      return out;
    });
  };
  const resX = residual(fx, mx, px), resY = residual(fy, my, py);
  const nul = nullApproximation(resX, resY, statistic, options.approx);
  return { statistic, pValue: nul.pValue, n, details: { sigma: { x: sigmaX, y: sigmaY, z: sigmaZ }, null_approx: nul.used } };
}

function inverseViaCholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! ** 2;
    if (!(d > 0)) throw new ComputeError("rcit: the covariance of the conditioning-set features is not positive definite", "check the conditioning columns for duplicates");
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  // inv(L) by forward substitution, then inv(L)ᵀ·inv(L).
  const li = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    for (let i = c; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= l[i * n + k]! * li[k * n + c]!;
      li[i * n + c] = s / l[i * n + i]!;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < n; k++) s += li[k * n + i]! * li[k * n + j]!;
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

export const rcit: CiTest<RcitOptions> = {
  name: "rcit",
  title: "RCIT / RIT (random Fourier features, Lindsay–Pilla–Basak null)",
  dataKind: "any",
  conditional: true,
  options: RcitOptions,
  reference: "causal-learn 0.1.4.7 causallearn/utils/RCIT/RCIT.py RIT / RCIT (approx='lpd4'); momentchi2 0.1.8 lpb4/hbe",
  prepare(data, rawOptions, context) {
    const options = RcitOptions.parse(rawOptions, "rcit");
    const draws = options.drawSource ?? rngDrawSource(new Rng(options.seed));
    return (x, y, zs) => {
      checkQuery("rcit", data, x, y, zs, context);
      try {
        const bx = [getColumn(data, x)], by = [getColumn(data, y)];
        const r = zs.length ? rcitConditional(bx, by, zs.map((j) => getColumn(data, j)), draws, options) : rit(bx, by, draws, options);
        return { test: "rcit", ...r };
      } catch (error) {
        if (error instanceof ComputeError) throw new ComputeError(`rcit ${pairLabel(x, y, zs, context)}: ${error.message}`);
        throw error;
      }
    };
  },
};

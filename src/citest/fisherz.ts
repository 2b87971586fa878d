/**
 * Fisher-z test of (partial) correlation, as causal-learn's `FisherZ` (causallearn/utils/cit.py):
 * the correlation matrix of all columns is built once (np.corrcoef); each query inverts the sub-matrix
 * of [x, y, ...S], r = −inv[0,1]/√(inv[0,0]·inv[1,1]), statistic = √(n − |S| − 3)·|atanh r|.
 * The p-value is the exact two-sided normal tail erfc(|z|/√2) (the reference's 2·(1 − Φ) underflows).
 */
import { DegenerateDataError } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";
import erfc from "@stdlib/math-base-special-erfc";
import { normalTwoSidedP } from "../stats/distributions.ts";
import { luDecompose, luSolve } from "../stats/lu.ts";
import { ColumnChecker, pairLabel, type PrepareContext } from "./columns.ts";
import { enumOption, optionSchema, type OptionValues } from "./options.ts";
import type { CiResult, CiTest } from "./types.ts";

const fisherzFields = {
  tail: enumOption(["exact", "causal-learn"], "exact",
    "p-value: exact two-sided tail erfc(|z|/√2), or causal-learn's 2·(1 − Φ(|z|)), which is exactly 0 beyond |z| ≈ 8.3"),
};
const FisherzOptions = optionSchema(fisherzFields);
export type FisherzOptions = OptionValues<typeof fisherzFields>;

/** np.corrcoef(data.T): Pearson correlations of every pair of columns. */
export function correlationMatrix(data: Matrix): Float64Array {
  const { rows: n, cols: p } = data;
  const means = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) means[j]! += data.data[i * p + j]!;
  for (let j = 0; j < p; j++) means[j]! /= n;
  const cov = new Float64Array(p * p);
  const centered = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) centered[j] = data.data[i * p + j]! - means[j]!;
    for (let a = 0; a < p; a++) {
      const ca = centered[a]!;
      for (let b = a; b < p; b++) cov[a * p + b]! += ca * centered[b]!;
    }
  }
  const sd = new Float64Array(p);
  for (let j = 0; j < p; j++) sd[j] = Math.sqrt(cov[j * p + j]! / (n - 1));
  const corr = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const r = Math.max(-1, Math.min(1, cov[a * p + b]! / (n - 1) / sd[a]! / sd[b]!));
      corr[a * p + b] = r;
      corr[b * p + a] = r;
    }
  }
  return corr;
}

export const fisherz: CiTest<FisherzOptions> = {
  name: "fisherz",
  title: "Fisher-z (partial correlation)",
  dataKind: "continuous",
  conditional: true,
  options: FisherzOptions,
  reference: "causal-learn 0.1.4.7 causallearn/utils/cit.py FisherZ",
  prepare(data, rawOptions, context) {
    const { tail } = FisherzOptions.parse(rawOptions, "fisherz");
    const corr = correlationMatrix(data);
    const p = data.cols;
    const checker = new ColumnChecker("fisherz", data, context);
    return (x, y, zs) => {
      checker.check(x, y, zs);
      const result = fisherzFromCorrelation(corr, p, data.rows, x, y, zs, context);
      if (tail === "causal-learn") result.pValue = causalLearnTwoSidedP(result.statistic!);
      return result;
    };
  },
};

/**
 * The test from a correlation matrix (p × p) of data with `nRows` rows: shared by `prepare` and Level I's
 * per-pair path (level1-fast.ts), so both give bit-identical answers.
 */
export function fisherzFromCorrelation(
  corr: Float64Array, p: number, nRows: number, x: number, y: number, zs: readonly number[], context?: PrepareContext,
): CiResult {
  const vars = [x, y, ...zs];
  const k = vars.length;
  const sub = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) sub[a * k + b] = corr[vars[a]! * p + vars[b]!]!;
  const lu = luDecompose(sub, k);
  // Columns 0 and 1 of the inverse are all that r needs.
  let pivotMin = Infinity, pivotMax = 0;
  for (let i = 0; i < k; i++) {
    const v = Math.abs(lu.lu[i * k + i]!);
    pivotMin = Math.min(pivotMin, v);
    pivotMax = Math.max(pivotMax, v);
  }
  if (lu.singular || pivotMin <= pivotMax * 1e-14) {
    throw new DegenerateDataError(
      `fisherz ${pairLabel(x, y, zs, context)}: the correlation matrix of these columns is singular (a column is a linear combination of the others)`,
      "drop the redundant column from the conditioning set, or use a kernel test (kci)",
    );
  }
  const e0 = new Float64Array(k); e0[0] = 1;
  const e1 = new Float64Array(k); e1[1] = 1;
  const inv0 = luSolve(lu, e0), inv1 = luSolve(lu, e1);
  const r = -inv0[1]! / Math.sqrt(inv0[0]! * inv1[1]!);
  const zValue = 0.5 * Math.log((1 + r) / (1 - r));
  const statistic = Math.sqrt(nRows - zs.length - 3) * Math.abs(zValue);
  if (!Number.isFinite(statistic)) {
    throw new DegenerateDataError(
      `fisherz ${pairLabel(x, y, zs, context)}: partial correlation is ±1 (perfectly collinear columns)`,
      "drop the duplicated column",
    );
  }
  return { test: "fisherz", statistic, pValue: normalTwoSidedP(statistic), n: nRows, details: { r } };
}

/**
 * causal-learn's p = 2·(1 − norm.cdf(|z|)) in double arithmetic, with scipy's ndtr (cephes): below
 * |z| = 1 the cdf is 0.5 + 0.5·erf(z/√2), above it 1 − 0.5·erfc(z/√2). The subtraction from 1 loses
 * every digit of the tail beyond |z| ≈ 8.3, where p becomes exactly 0 (see docs/PC.md, difference A).
 */
export function causalLearnTwoSidedP(statistic: number): number {
  const z = Math.abs(statistic) * Math.SQRT1_2;
  const cdf = z < Math.SQRT1_2 ? 0.5 + 0.5 * (1 - erfc(z)) : 1 - 0.5 * erfc(z);
  return 2 * (1 - cdf);
}

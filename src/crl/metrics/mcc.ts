/**
 * MCC (mean correlation coefficient) between true latents Z (n × d_true) and learned ones Ẑ (n × d_pred):
 * C = corr(Z, Ẑ) (rows true, columns learned), the assignment maximising Σ|C| matched, and the mean
 * |r| of the matched pairs. Default: the rectangular assignment of `linear_sum_assignment(-abs(C))`
 * over min(d_true, d_pred) pairs, as the fixture defines it. Option `padding: "random-normal"` mirrors
 * PersonaX `calculate_mcc`: when fewer dims are learned than true, standard-normal columns are appended
 * to Ẑ before a square match, so the unmatched true latents pull the mean towards 0.
 */
import { UsageError } from "../../errors.ts";
import type { Matrix } from "../../linalg/matrix.ts";
import type { Rng } from "../../util/rng.ts";
import { linearSumAssignment } from "./assignment.ts";
import { crossCorrelation, type CorrelationMethod } from "./correlation.ts";

export interface MccOptions {
  method?: CorrelationMethod;
  /** "none" (default): rectangular assignment; "random-normal": PersonaX's padding rule (needs `rng`). */
  padding?: "none" | "random-normal";
  rng?: Rng;
}

export interface MccResult {
  mcc: number;
  /** Correlation matrix, rows = true latents, columns = learned dims (after any padding). */
  corr: number[][];
  rowInd: number[];
  colInd: number[];
  matchedAbsR: number[];
}

export function mcc(truth: Matrix, learned: Matrix, options: MccOptions = {}): MccResult {
  if (truth.rows !== learned.rows) {
    throw new UsageError(`mcc: true latents have ${truth.rows} rows but learned latents have ${learned.rows}`);
  }
  let predicted = learned;
  if ((options.padding ?? "none") === "random-normal" && learned.cols < truth.cols) {
    if (!options.rng) throw new UsageError("mcc: padding \"random-normal\" needs an rng");
    predicted = padWithNormals(learned, truth.cols, options.rng);
  }
  const corr = crossCorrelation(truth, predicted, options.method ?? "pearson");
  const absCost = corr.map((row) => row.map((r) => -Math.abs(Number.isNaN(r) ? 0 : r)));
  const { rowInd, colInd } = linearSumAssignment(absCost);
  // A constant learned dim (collapsed latent) has r = NaN; it counts as 0, i.e. nothing recovered.
  const matchedAbsR = rowInd.map((i, k) => Math.abs(corr[i]![colInd[k]!]!) || 0);
  const value = matchedAbsR.reduce((s, v) => s + v, 0) / matchedAbsR.length;
  return { mcc: value, corr, rowInd, colInd, matchedAbsR };
}

function padWithNormals(m: Matrix, cols: number, rng: Rng): Matrix {
  const data = new Float64Array(m.rows * cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < cols; j++) data[i * cols + j] = j < m.cols ? m.data[i * m.cols + j]! : rng.normal();
  }
  return { rows: m.rows, cols, data };
}

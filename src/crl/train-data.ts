/**
 * Training stage 1: the data the trainer sees. A seeded train/evaluation split, per-column
 * standardisation fitted on the training rows only, and the row gathers that build batches from it.
 */
import { UsageError } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { Tensor } from "../nn/tensor.ts";
import type { Rng } from "../util/rng.ts";
import type { ResolvedCrlTrainConfig } from "./config.ts";
import type { CrlDataset } from "./data.ts";
import type { CrlBatch } from "./model.ts";

export interface ColumnStandardization {
  mean: Float32Array;
  sd: Float32Array;
}

/** The prepared training data: splits, standardisation and batch builders. */
export interface TrainingData {
  trainRows: number[];
  evalRows: number[];
  /** Per modality, per measurement: fitted on the training rows. */
  standardization: ColumnStandardization[][];
  /** The standardised inputs of the given dataset rows, as a batch. */
  gather: (rows: readonly number[]) => CrlBatch;
  evalBatch: CrlBatch;
  /** Set when every epoch is one full-batch step (batchSize 0 or ≥ the training rows). */
  fullTrainBatch?: CrlBatch;
  /** Ground-truth latents of the evaluation rows, when the dataset has them. */
  truthEval?: Matrix;
}

/**
 * A seeded permutation of the rows; its last `validationFraction` (at least 2 rows) is the evaluation
 * split. Without one (fraction 0) the training rows are evaluated.
 */
export function splitRows(n: number, validationFraction: number, rng: Rng): { trainRows: number[]; evalRows: number[] } {
  const order = rng.permutation(n);
  const nEval = validationFraction > 0 ? Math.max(2, Math.round(n * validationFraction)) : 0;
  if (n - nEval < 2) throw new UsageError(`${n} rows leave too few for training after a ${validationFraction} evaluation split`);
  const trainRows = order.slice(0, n - nEval);
  return { trainRows, evalRows: nEval > 0 ? order.slice(n - nEval) : trainRows };
}

/** Splits, standardises and wraps a dataset for training; `rng` is the trainer's root stream. */
export function prepareTrainingData(data: CrlDataset, cfg: ResolvedCrlTrainConfig, rng: Rng): TrainingData {
  const { trainRows, evalRows } = splitRows(data.nRows, cfg.validationFraction, rng.fork(11));
  const standardization = data.modalities.map((m) => m.measurements.map((x) => fitStandardization(x, m.inputDim, trainRows, cfg.standardize)));
  const blocks = data.modalities.map((m, mi) => m.measurements.map((x, k) => applyStandardization(x, m.inputDim, standardization[mi]![k]!)));
  const gather = (rows: readonly number[]): CrlBatch =>
    data.modalities.map((m, mi) => blocks[mi]!.map((x) => gatherRows(x, m.inputDim, rows)));
  return {
    trainRows,
    evalRows,
    standardization,
    gather,
    evalBatch: gather(evalRows),
    fullTrainBatch: cfg.batchSize === 0 || cfg.batchSize >= trainRows.length ? gather(trainRows) : undefined,
    truthEval: data.truth ? pickRows(data.truth.latents, evalRows) : undefined,
  };
}

/** Mean and sample variance (n − 1) of every column of a row-major `x` (`dim` columns) over `rows`. */
export function columnMoments(x: Float32Array, dim: number, rows: readonly number[]): { mean: Float64Array; variance: Float64Array } {
  const sum = new Float64Array(dim);
  const sumSq = new Float64Array(dim);
  for (const r of rows) {
    for (let j = 0; j < dim; j++) {
      const v = x[r * dim + j]!;
      sum[j]! += v;
      sumSq[j]! += v * v;
    }
  }
  const n = rows.length;
  const mean = new Float64Array(dim);
  const variance = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    const mu = sum[j]! / n;
    mean[j] = mu;
    variance[j] = Math.max(0, sumSq[j]! / n - mu * mu) * (n / Math.max(1, n - 1));
  }
  return { mean, variance };
}

/** Column means and sample standard deviations over `rows` (identity when disabled). */
export function fitStandardization(x: Float32Array, dim: number, rows: readonly number[], enabled: boolean): ColumnStandardization {
  if (!enabled) return { mean: new Float32Array(dim), sd: new Float32Array(dim).fill(1) };
  const { mean, variance } = columnMoments(x, dim, rows);
  // A constant column stays as it is (centred), rather than dividing by zero.
  return { mean: Float32Array.from(mean), sd: Float32Array.from(variance, (v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

export function applyStandardization(x: Float32Array, dim: number, s: ColumnStandardization): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % dim;
    out[i] = (x[i]! - s.mean[j]!) / s.sd[j]!;
  }
  return out;
}

/** The given rows of a row-major `x` (`dim` columns) as a rows × dim tensor. */
export function gatherRows(x: Float32Array, dim: number, rows: readonly number[]): Tensor {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(x.subarray(r * dim, (r + 1) * dim), i * dim));
  return new Tensor(out, [rows.length, dim]);
}

export function pickRows(m: Matrix, rows: readonly number[]): Matrix {
  const data = new Float64Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { rows: rows.length, cols: m.cols, data };
}

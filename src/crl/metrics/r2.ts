/**
 * R² of predicting the true latents Z from the learned ones Ẑ with an RBF kernel ridge regression, as
 * PersonaX `calculate_r2` (sklearn `KernelRidge(kernel="rbf")` with defaults α = 1, γ = 1/d_pred,
 * K = exp(-γ‖a − b‖²), no intercept: dual coefficients (K + αI)⁻¹Z) scored with `r2_score`'s uniform
 * average over the true dimensions. In-sample (fit and score on the same rows, as the paper reports) and
 * held-out (fit on the first `trainFraction` of rows, score on the rest).
 *
 * Kernel ridge is O(n³): callers with many rows pass `maxRows`, and a seeded subsample of that many rows
 * is used (the result says so in `rowsUsed`).
 */
import { UsageError } from "../../errors.ts";
import { cholesky, choleskySolve, gemm, type Matrix } from "../../linalg/index.ts";
import type { Rng } from "../../util/rng.ts";

export interface R2Options {
  alpha?: number;
  /** Kernel width; default 1 / d_pred (sklearn's gamma=None). */
  gamma?: number;
  /** Subsample to at most this many rows (needs `rng`). */
  maxRows?: number;
  rng?: Rng;
}

export interface R2Result {
  r2: number;
  /** Per true dimension. */
  rawValues: number[];
  rowsUsed: number;
}

/** Fit on all rows and score on the same rows (the paper's number). */
export function r2InSample(truth: Matrix, learned: Matrix, options: R2Options = {}): R2Result {
  const [z, zhat] = subsample(truth, learned, options);
  const predicted = kernelRidgePredict(zhat, z, zhat, options);
  return { ...r2Score(z, predicted), rowsUsed: z.rows };
}

/** Fit on the first `trainFraction` of rows (default 0.8, `int(0.8 n)`) and score on the rest. */
export function r2HeldOut(truth: Matrix, learned: Matrix, options: R2Options & { trainFraction?: number } = {}): R2Result {
  const [z, zhat] = subsample(truth, learned, options);
  const nTrain = Math.floor(z.rows * (options.trainFraction ?? 0.8));
  if (nTrain < 1 || nTrain >= z.rows) throw new UsageError(`r2HeldOut: ${z.rows} rows cannot be split into train and test at ${options.trainFraction ?? 0.8}`);
  const predicted = kernelRidgePredict(sliceRows(zhat, 0, nTrain), sliceRows(z, 0, nTrain), sliceRows(zhat, nTrain, z.rows), options);
  return { ...r2Score(sliceRows(z, nTrain, z.rows), predicted), rowsUsed: z.rows };
}

/** sklearn KernelRidge(kernel="rbf").fit(xTrain, yTrain).predict(xTest). */
export function kernelRidgePredict(xTrain: Matrix, yTrain: Matrix, xTest: Matrix, options: R2Options = {}): Matrix {
  const alpha = options.alpha ?? 1;
  const gamma = options.gamma ?? 1 / xTrain.cols;
  const n = xTrain.rows;
  const K = rbfKernel(xTrain, xTrain, gamma);
  for (let i = 0; i < n; i++) K[i * n + i] = K[i * n + i]! + alpha;
  // sklearn _solve_cholesky_kernel: (K + αI) is SPD, so a Cholesky solve (ComputeError if it is not,
  // e.g. NaN latents).
  const dual = choleskySolve(cholesky({ rows: n, cols: n, data: K }), yTrain);
  const Kt = rbfKernel(xTest, xTrain, gamma);
  return gemm({ rows: xTest.rows, cols: n, data: Kt }, dual);
}

function rbfKernel(a: Matrix, b: Matrix, gamma: number): Float64Array {
  const d = a.cols;
  const K = new Float64Array(a.rows * b.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < b.rows; k++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const diff = a.data[i * d + c]! - b.data[k * d + c]!;
        s += diff * diff;
      }
      K[i * b.rows + k] = Math.exp(-gamma * s);
    }
  }
  return K;
}

/** sklearn r2_score(y, pred, multioutput="uniform_average") with its force_finite rule for constant targets. */
export function r2Score(y: Matrix, predicted: Matrix): { r2: number; rawValues: number[] } {
  const n = y.rows, d = y.cols;
  const rawValues: number[] = [];
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += y.data[i * d + j]!;
    mean /= n;
    let ssRes = 0, ssTot = 0;
    for (let i = 0; i < n; i++) {
      ssRes += (y.data[i * d + j]! - predicted.data[i * d + j]!) ** 2;
      ssTot += (y.data[i * d + j]! - mean) ** 2;
    }
    rawValues.push(ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot);
  }
  return { r2: rawValues.reduce((s, v) => s + v, 0) / d, rawValues };
}

function subsample(truth: Matrix, learned: Matrix, options: R2Options): [Matrix, Matrix] {
  if (truth.rows !== learned.rows) throw new UsageError(`r2: true latents have ${truth.rows} rows but learned latents have ${learned.rows}`);
  if (options.maxRows === undefined || truth.rows <= options.maxRows) return [truth, learned];
  if (!options.rng) throw new UsageError("r2: maxRows needs an rng for the subsample");
  const rows = options.rng.permutation(truth.rows).slice(0, options.maxRows);
  return [pickRows(truth, rows), pickRows(learned, rows)];
}

function pickRows(m: Matrix, rows: number[]): Matrix {
  const data = new Float64Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { rows: rows.length, cols: m.cols, data };
}

function sliceRows(m: Matrix, start: number, end: number): Matrix {
  return { rows: end - start, cols: m.cols, data: m.data.slice(start * m.cols, end * m.cols) };
}

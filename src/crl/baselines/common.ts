/**
 * What every variant-MNIST method shares: the training budget, the inputs (pixels in [0, 1], or standardised
 * per column on the training rows as trainCrl can), the mini-batch loop, and the scoring of learned latents against the
 * truth (MCC and R² on the evaluation rows, computed exactly as trainCrl's final evaluation).
 */
import type { Matrix } from "../../linalg/matrix.ts";
import { Adam } from "../../nn/optim.ts";
import { Tensor, noGrad } from "../../nn/tensor.ts";
import type { Module } from "../../nn/module.ts";
import { Rng } from "../../util/rng.ts";
import { mcc } from "../metrics/mcc.ts";
import { r2HeldOut, r2InSample } from "../metrics/r2.ts";
import { UsageError } from "../../errors.ts";
import type { CrlTrainResult } from "../train.ts";
import { applyStandardization, columnMoments, fitStandardization, gatherRows, type ColumnStandardization } from "../train-data.ts";
import type { ProgressCallback } from "../../util/progress.ts";

/** The budget every method gets (the same encoder family in→128→64→out, optimiser, batches and epochs). */
export interface MnistTrainBudget {
  epochs: number;
  learningRate: number;
  batchSize: number;
  /** Encoder hidden widths (decoders mirror them). */
  hidden: number[];
  /**
   * How the pixels enter every method (scaleBlock): "global" (default) centres each column on the training
   * rows and divides the whole measurement by one factor, so its average per-pixel variance is 1 (the
   * reconstruction terms get a usable scale and the image geometry is kept); "columns" standardises every
   * column (blows the sensor noise of always-dark channels and border pixels up to unit variance); "pixels"
   * keeps the paper's [0, 1] (/255), where the mean-squared reconstruction error is so small next to the
   * prior term that variational encoders collapse (MMCRL, seed 1, n = 3,000, 10 epochs: R² 0.10).
   */
  scaling: InputScaling;
}

export const MNIST_BUDGET: MnistTrainBudget = { epochs: 30, learningRate: 1e-3, batchSize: 256, hidden: [128, 64], scaling: "global" };

/** Rows of the evaluation split used for R² (kernel ridge is O(n³)): trainCrl's default. */
export const R2_MAX_ROWS = 2000;

export type InputScaling = "global" | "columns" | "pixels";

export interface LatentScores {
  mcc: number;
  r2: number;
  r2HeldOut: number;
}

/** What each method returns. */
export interface MethodRun extends LatentScores {
  secondsPerEpoch: number;
  epochs: number;
  /** Learned latents of every row (n × 4), dataset row order. */
  latents: Matrix;
  evalRows: number[];
  /** The CRL methods' training result and the scale of each input block [modality][measurement] (for latent traversals). */
  training?: CrlTrainResult;
  inputScales?: BlockScale[][];
}

/** A block of n × dim float32 inputs (one measurement, or several concatenated). */
export interface InputBlock {
  dim: number;
  values: Float32Array;
}

/** Concatenates measurement blocks column-wise (row i of the result = row i of each block, in order). */
export function concatBlocks(blocks: readonly InputBlock[], n: number): InputBlock {
  const dim = blocks.reduce((s, b) => s + b.dim, 0);
  const values = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let offset = i * dim;
    for (const b of blocks) {
      values.set(b.values.subarray(i * b.dim, (i + 1) * b.dim), offset);
      offset += b.dim;
    }
  }
  return { dim, values };
}

/** Per-column offsets and scales of a scaled block: scaled = (value − mean) / sd. */
export type BlockScale = ColumnStandardization;

/** The scale of a block under `scaling` (see MnistTrainBudget.scaling), fitted on the training rows. */
export function fitScale(block: InputBlock, trainRows: readonly number[], scaling: InputScaling): BlockScale {
  const { dim, values } = block;
  // "columns" is trainCrl's standardisation (a constant column is only centred).
  if (scaling !== "global") return fitStandardization(values, dim, trainRows, scaling === "columns");
  const { mean, variance } = columnMoments(values, dim, trainRows);
  const average = variance.reduce((s, v) => s + v, 0) / dim;
  return { mean: Float32Array.from(mean), sd: new Float32Array(dim).fill(average > 1e-12 ? Math.sqrt(average) : 1) };
}

export function applyScale(block: InputBlock, scale: BlockScale): InputBlock {
  return { dim: block.dim, values: applyStandardization(block.values, block.dim, scale) };
}

/** A block scaled under `scaling` with the training rows' moments. */
export function scaleBlock(block: InputBlock, trainRows: readonly number[], scaling: InputScaling): InputBlock {
  return scaling === "pixels" ? block : applyScale(block, fitScale(block, trainRows, scaling));
}

/** The given rows of a block as a tensor. */
export function gatherBlock(block: InputBlock, rows: readonly number[]): Tensor {
  return gatherRows(block.values, block.dim, rows);
}

/**
 * Mini-batch Adam over the training rows for `budget.epochs` epochs; `loss(rows, epochRng)` builds the
 * loss of one batch. Each epoch's shuffle and noise come from their own fork of `rng`. Returns the mean
 * seconds per epoch.
 */
export async function trainMiniBatches(
  model: Module,
  trainRows: readonly number[],
  budget: MnistTrainBudget,
  rng: Rng,
  loss: (rows: number[], epochRng: Rng) => Tensor,
  onProgress?: ProgressCallback,
): Promise<number> {
  const optimizer = new Adam(model.parameters(), { lr: budget.learningRate });
  let seconds = 0;
  for (let epoch = 0; epoch < budget.epochs; epoch++) {
    const started = performance.now();
    const perm = rng.fork(1000 + epoch).permutation(trainRows.length);
    const noise = rng.fork(3000 + epoch);
    let sum = 0, batches = 0;
    for (let s = 0; s < perm.length; s += budget.batchSize) {
      const end = Math.min(s + budget.batchSize, perm.length);
      if (end - s < budget.batchSize / 2 && s > 0) break; // as trainCrl: drop a small last batch
      const value = loss(perm.slice(s, end).map((i) => trainRows[i]!), noise);
      optimizer.zeroGrad();
      value.backward();
      optimizer.step();
      const v = value.item();
      if (!Number.isFinite(v)) throw new UsageError(`training diverged at epoch ${epoch + 1} (loss ${v})`, "lower the learning rate");
      sum += v;
      batches++;
    }
    seconds += (performance.now() - started) / 1000;
    onProgress?.(epoch + 1, budget.epochs, `loss ${(sum / batches).toPrecision(4)}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return seconds / budget.epochs;
}

/** Applies `encode` to all rows in chunks, without the autodiff graph: an n × d matrix. */
export function encodeAll(n: number, encode: (rows: number[]) => Tensor, chunk = 2048): Matrix {
  const parts: Float32Array[] = [];
  let cols = 0;
  noGrad(() => {
    for (let s = 0; s < n; s += chunk) {
      const t = encode(Array.from({ length: Math.min(chunk, n - s) }, (_, i) => s + i));
      cols = t.cols;
      parts.push(t.data.slice());
    }
  });
  const data = new Float64Array(n * cols);
  let offset = 0;
  for (const p of parts) { data.set(p, offset); offset += p.length; }
  return { rows: n, cols, data };
}

export function pickRows(m: Matrix, rows: readonly number[]): Matrix {
  const data = new Float64Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { rows: rows.length, cols: m.cols, data };
}

/**
 * MCC (Pearson, Hungarian matching) and R² (RBF kernel ridge, in-sample and held-out, on a seeded subsample
 * of at most 2,000 rows) of learned vs true latents on the evaluation rows: trainCrl's final evaluation.
 */
export function scoreLatents(truth: Matrix, learned: Matrix, evalRows: readonly number[], rng: Rng): LatentScores {
  const t = pickRows(truth, evalRows), l = pickRows(learned, evalRows);
  const result: LatentScores = { mcc: mcc(t, l).mcc, r2: NaN, r2HeldOut: NaN };
  if (l.data.every(Number.isFinite)) {
    result.r2 = r2InSample(t, l, { maxRows: R2_MAX_ROWS, rng }).r2;
    result.r2HeldOut = r2HeldOut(t, l, { maxRows: R2_MAX_ROWS, rng: rng.fork(1) }).r2;
  }
  return result;
}

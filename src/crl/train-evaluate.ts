/**
 * Training stage 3: evaluations. A curve point on the evaluation split (validation loss; MCC, R² and SHD
 * when ground truth exists), best-MCC tracking and early stopping on the validation loss.
 */
import type { Matrix } from "../linalg/matrix.ts";
import type { Rng } from "../util/rng.ts";
import type { ResolvedCrlTrainConfig } from "./config.ts";
import type { CrlDataset } from "./data.ts";
import { mcc } from "./metrics/mcc.ts";
import { r2HeldOut, r2InSample } from "./metrics/r2.ts";
import { alignToTruth, shd } from "./metrics/shd.ts";
import { learnedLatentGraph } from "./latent-graph.ts";
import type { CrlBatch, CrlModel } from "./model.ts";
import { pickRows } from "./train-data.ts";

/** One evaluation (every `evalEvery` epochs and after the last). */
export interface CurvePoint {
  epoch: number;
  /** Wall-clock seconds since training started. */
  seconds: number;
  learningRate: number;
  /** Mean over the epoch's batches. */
  trainLoss: number;
  trainRecon: number;
  trainNll: number;
  valLoss: number;
  valRecon: number;
  valNll: number;
  sparsity: number;
  /** The independence term on the evaluation split (label-free; 0 when the term is off). */
  valIndependence?: number;
  /** With ground truth only: on the evaluation split. */
  mcc?: number;
  r2?: number;
  r2HeldOut?: number;
  shd?: number;
}

/** Evaluates the model on the evaluation batch; `rng` draws the R² subsamples. */
export function evaluatePoint(
  model: CrlModel,
  evalBatch: CrlBatch,
  truthEval: Matrix | undefined,
  data: CrlDataset,
  cfg: ResolvedCrlTrainConfig,
  rng: Rng,
  base: Pick<CurvePoint, "epoch" | "seconds" | "learningRate" | "trainLoss" | "trainRecon" | "trainNll">,
): CurvePoint {
  const val = model.evaluate(evalBatch);
  const point: CurvePoint = { ...base, valLoss: val.loss.item(), valRecon: val.recon, valNll: val.nll, sparsity: val.sparsity, valIndependence: val.independence };
  if (truthEval) {
    const z = model.encode(evalBatch);
    const learned: Matrix = { rows: z.rows, cols: z.cols, data: Float64Array.from(z.data) };
    const match = mcc(truthEval, learned);
    point.mcc = match.mcc;
    if (learned.data.every(Number.isFinite)) {
      const r2Options = { maxRows: cfg.r2MaxRows, rng };
      point.r2 = r2InSample(truthEval, learned, r2Options).r2;
      point.r2HeldOut = r2HeldOut(truthEval, learned, { maxRows: cfg.r2MaxRows, rng: rng.fork(1) }).r2;
    }
    if (data.truth?.adjacency) {
      point.shd = shd(data.truth.adjacency, alignToTruth(learnedLatentGraph(model, learned), match.rowInd, match.colInd, truthEval.cols));
    }
  }
  return point;
}

/** The point with the higher MCC (the earlier one on ties); points without an MCC never win. */
export function betterByMcc(best: CurvePoint | undefined, point: CurvePoint): CurvePoint | undefined {
  return point.mcc !== undefined && (!best || point.mcc > best.mcc!) ? point : best;
}

/**
 * Early stopping: counts evaluations since the validation loss last improved (by more than 1e-9);
 * `patience` 0 never stops.
 */
export class ValidationPatience {
  private bestValLoss = Infinity;
  private sinceImprovement = 0;

  constructor(readonly patience: number) {}

  /** Records an evaluation's validation loss; true when training should stop. */
  update(valLoss: number): boolean {
    if (valLoss < this.bestValLoss - 1e-9) {
      this.bestValLoss = valLoss;
      this.sinceImprovement = 0;
    } else {
      this.sinceImprovement++;
    }
    return this.patience > 0 && this.sinceImprovement >= this.patience;
  }
}

/**
 * The trained model's outputs: z_all of every dataset row (n × L, in row order), its learned graph (latent-graph.ts),
 * and (ground truth only) that adjacency in the truth's latent order via the MCC matching on the
 * evaluation rows.
 */
export function finalOutputs(
  model: CrlModel,
  gather: (rows: readonly number[]) => CrlBatch,
  data: CrlDataset,
  evalRows: readonly number[],
  truthEval: Matrix | undefined,
): { latents: Matrix; learnedAdjacency: number[][]; alignedAdjacency?: number[][] } {
  const n = data.nRows;
  const z = model.encode(gather(Array.from({ length: n }, (_, i) => i)));
  const latents: Matrix = { rows: n, cols: z.cols, data: Float64Array.from(z.data) };
  const learnedAdjacency = learnedLatentGraph(model, pickRows(latents, evalRows));
  let alignedAdjacency: number[][] | undefined;
  if (data.truth && truthEval) {
    const match = mcc(truthEval, pickRows(latents, evalRows));
    alignedAdjacency = alignToTruth(learnedAdjacency, match.rowInd, match.colInd, data.truth.latents.cols);
  }
  return { latents, learnedAdjacency, alignedAdjacency };
}

/**
 * Trains the CRL model (model.ts): a seeded train/evaluation split, per-column standardisation fitted
 * on the training rows, full-batch (as the reference) or mini-batch Adam with a step scheduler,
 * evaluation every k epochs (validation loss; MCC, R² and SHD when ground truth exists), best-MCC
 * tracking, early stopping on the validation loss, checkpoints and resume, and the metric curves.
 */
import { formatZodIssues, UsageError } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { Adam, StepLR } from "../nn/optim.ts";
import { Tensor } from "../nn/tensor.ts";
import { Rng } from "../util/rng.ts";
import { CrlModelConfig, CrlTrainConfig, type ResolvedCrlTrainConfig } from "./config.ts";
import { validateDataset, type CrlDataset } from "./data.ts";
import { loadCrlCheckpoint, loadCrlOptimizerState, saveCrlCheckpoint } from "./checkpoint.ts";
import { mcc } from "./metrics/mcc.ts";
import { r2HeldOut, r2InSample } from "./metrics/r2.ts";
import { alignToTruth, shd } from "./metrics/shd.ts";
import { CrlModel, type CrlBatch } from "./model.ts";
import type { ProgressCallback } from "../util/progress.ts";

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

export interface EpochRecord {
  epoch: number;
  loss: number;
  seconds: number;
}

export interface CrlTrainResult {
  model: CrlModel;
  config: { model: CrlModelConfig; train: ResolvedCrlTrainConfig };
  curve: CurvePoint[];
  epochs: EpochRecord[];
  /** The evaluation with the highest MCC (ground truth only). */
  best?: CurvePoint;
  final: CurvePoint;
  epochsRun: number;
  stoppedEarly: boolean;
  /** Mean seconds per training epoch (excluding evaluations). */
  secondsPerEpoch: number;
  /** Row indices of the two splits (into the dataset's rows). */
  trainRows: number[];
  evalRows: number[];
  /** Learned z_all of every row (n × L), in dataset row order. */
  latents: Matrix;
  latentNames: string[];
  learnedAdjacency: number[][];
  /** Learned adjacency in the truth's latent order (via the MCC matching), ground truth only. */
  alignedAdjacency?: number[][];
  /** Per-block standardisation fitted on the training rows. */
  standardization: Array<Array<{ mean: Float32Array; sd: Float32Array }>>;
  resumedFromEpoch?: number;
  /** Mean prior NLL over the last restart epoch's training batches, per initialisation tried (when `restarts` > 1), and the index kept (the lowest). */
  restartNlls?: number[];
  restartChosen?: number;
}

export interface CrlTrainCallbacks {
  /** Called after every epoch. */
  onProgress?: ProgressCallback;
  onEvaluation?: (point: CurvePoint) => void;
}

/** Trains a CRL model on a dataset. */
export async function trainCrl(
  data: CrlDataset,
  modelConfig: CrlModelConfig,
  trainConfigInput: CrlTrainConfig = {},
  callbacks: CrlTrainCallbacks = {},
): Promise<CrlTrainResult> {
  validateDataset(data);
  const parsedTrain = CrlTrainConfig.safeParse(trainConfigInput);
  if (!parsedTrain.success) {
    throw new UsageError(`invalid CRL training config: ${formatZodIssues(parsedTrain.error.issues, { schema: CrlTrainConfig })}`);
  }
  const cfg = parsedTrain.data;
  const rng = new Rng(cfg.seed);
  let model = new CrlModel(modelConfig, rng.fork(10));
  checkShapes(data, model);

  // Split: a seeded permutation; the last `validationFraction` of it is the evaluation split.
  const n = data.nRows;
  const order = rng.fork(11).permutation(n);
  const nEval = cfg.validationFraction > 0 ? Math.max(2, Math.round(n * cfg.validationFraction)) : 0;
  if (n - nEval < 2) throw new UsageError(`${n} rows leave too few for training after a ${cfg.validationFraction} evaluation split`);
  const trainRows = order.slice(0, n - nEval);
  const evalRows = nEval > 0 ? order.slice(n - nEval) : trainRows;

  const standardization = data.modalities.map((m) => m.measurements.map((x) => fitStandardization(x, m.inputDim, trainRows, cfg.standardize)));
  const blocks = data.modalities.map((m, mi) => m.measurements.map((x, k) => applyStandardization(x, m.inputDim, standardization[mi]![k]!)));
  const gather = (rows: readonly number[]): CrlBatch =>
    data.modalities.map((m, mi) => blocks[mi]!.map((x) => gatherRows(x, m.inputDim, rows)));
  const evalBatch = gather(evalRows);
  const fullTrainBatch = cfg.batchSize === 0 || cfg.batchSize >= trainRows.length ? gather(trainRows) : undefined;
  const truthEval = data.truth ? pickRows(data.truth.latents, evalRows) : undefined;

  let optimizer = new Adam(model.parameters(), { lr: cfg.learningRate });

  /** One pass over the training rows; each epoch's shuffle comes from its own fork, so a resumed run draws the same batches. */
  const runEpoch = (net: CrlModel, opt: Adam, epochIndex: number) => {
    net.priorWeight = cfg.klWarmupEpochs > 0 ? Math.min(1, (epochIndex + 1) / cfg.klWarmupEpochs) : 1;
    // The reparameterisation noise of each epoch comes from its own fork too (resume is exact).
    net.setNoiseStream(rng.fork(3000 + epochIndex));
    const sums = { loss: 0, recon: 0, nll: 0, batches: 0 };
    const step = (batch: CrlBatch) => {
      const out = net.forward(batch);
      opt.zeroGrad();
      out.loss.backward();
      opt.step();
      const lossValue = out.loss.item();
      if (!Number.isFinite(lossValue)) {
        throw new UsageError(`CRL training diverged at epoch ${epochIndex + 1} (loss ${lossValue})`, "lower the learning rate or standardise the inputs");
      }
      sums.loss += lossValue; sums.recon += out.recon; sums.nll += out.nll; sums.batches++;
    };
    if (fullTrainBatch) step(fullTrainBatch);
    else {
      const perm = rng.fork(1000 + epochIndex).permutation(trainRows.length);
      const B = cfg.batchSize;
      // The last partial batch is dropped when it is small (< half a batch): tiny batches add noise.
      for (let s = 0; s < perm.length; s += B) {
        const end = Math.min(s + B, perm.length);
        if (end - s < B / 2 && s > 0) break;
        step(gather(perm.slice(s, end).map((i) => trainRows[i]!)));
      }
    }
    return sums;
  };

  const curve: CurvePoint[] = [];
  const epochs: EpochRecord[] = [];
  let startEpoch = 0;
  let resumedFromEpoch: number | undefined;
  if (cfg.resume && cfg.checkpointDir) {
    const restored = await loadCrlCheckpoint(cfg.checkpointDir, model);
    if (restored) {
      startEpoch = restored.epoch;
      resumedFromEpoch = restored.epoch;
      curve.push(...(restored.curve as CurvePoint[]));
      epochs.push(...(restored.epochs as EpochRecord[]));
      const adamState = await loadCrlOptimizerState(cfg.checkpointDir);
      if (adamState) optimizer.loadStateDict(adamState);
      else optimizer.steps = restored.optimizerSteps; // a checkpoint written before Adam's state was saved
    }
  }

  // Restarts: train `restarts` initialisations for `restartEpochs` epochs each and continue the one whose
  // prior term (the NLL of [ε̂, η]: how well the latents fit a causal model with independent exogenous
  // noise), averaged over its last epoch's training batches, is lowest. Unsupervised: no ground truth is
  // used. Initialisations reconstruct about equally well; independence of the exogenous terms is what
  // separates the identified solution from a mixed one (Sun et al. 2025, Prop. 5.1/5.2). Measured on case a
  // (9 seeds × 6 initialisations, 200 epochs; MCC of a single initialisation 0.72 on average): choosing
  // after 50 epochs by this criterion gave MCC 0.84, by the validation loss on the 1,000 evaluation rows
  // 0.81 (too few rows to rank), by the NLL on those rows 0.77. The chosen run's epochs count toward
  // `epochs` and its Adam state carries on.
  let restartNlls: number[] | undefined;
  let restartChosen: number | undefined;
  if (cfg.restarts > 1 && startEpoch === 0 && cfg.restartEpochs < cfg.epochs) {
    restartNlls = [];
    let chosen: { net: CrlModel; opt: Adam; records: EpochRecord[]; nll: number } | undefined;
    for (let r = 0; r < cfg.restarts; r++) {
      const net = r === 0 ? model : new CrlModel(modelConfig, rng.fork(10 + r * 7919));
      const opt = r === 0 ? optimizer : new Adam(net.parameters(), { lr: cfg.learningRate });
      const records: EpochRecord[] = [];
      let nll = NaN;
      for (let e = 0; e < cfg.restartEpochs; e++) {
        const t0 = performance.now();
        const sums = runEpoch(net, opt, e);
        nll = sums.nll / sums.batches;
        records.push({ epoch: e + 1, loss: sums.loss / sums.batches, seconds: (performance.now() - t0) / 1000 });
        callbacks.onProgress?.(0, cfg.epochs, `initialisation ${r + 1}/${cfg.restarts}, epoch ${e + 1}/${cfg.restartEpochs}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      restartNlls.push(nll);
      callbacks.onProgress?.(0, cfg.epochs, `initialisation ${r + 1}/${cfg.restarts}: training NLL ${nll.toPrecision(5)}`);
      if (!chosen || nll < chosen.nll) {
        chosen = { net, opt, records, nll };
        restartChosen = r;
      }
    }
    model = chosen!.net;
    optimizer = chosen!.opt;
    epochs.push(...chosen!.records);
    startEpoch = cfg.restartEpochs;
  }
  const scheduler = cfg.lrStepEpochs > 0 ? new StepLR(optimizer, cfg.lrStepEpochs, cfg.lrGamma) : undefined;
  for (let e = 0; e < startEpoch; e++) scheduler?.step();

  const started = performance.now();
  let bestValLoss = Infinity;
  let sinceImprovement = 0;
  let stoppedEarly = false;
  let best: CurvePoint | undefined = curve.filter((p) => p.mcc !== undefined).reduce<CurvePoint | undefined>((b, p) => (!b || p.mcc! > b.mcc! ? p : b), undefined);
  let trainingSeconds = 0;
  let epoch = startEpoch;
  let last: CurvePoint | undefined;

  while (epoch < cfg.epochs) {
    const epochStart = performance.now();
    const sums = runEpoch(model, optimizer, epoch);
    scheduler?.step();
    epoch++;
    const epochSeconds = (performance.now() - epochStart) / 1000;
    trainingSeconds += epochSeconds;
    epochs.push({ epoch, loss: sums.loss / sums.batches, seconds: epochSeconds });

    if (epoch % cfg.evalEvery === 0 || epoch === cfg.epochs) {
      const point = evaluatePoint(model, evalBatch, truthEval, data, cfg, rng.fork(2000 + epoch), {
        epoch,
        seconds: (performance.now() - started) / 1000,
        learningRate: optimizer.lr,
        trainLoss: sums.loss / sums.batches,
        trainRecon: sums.recon / sums.batches,
        trainNll: sums.nll / sums.batches,
      });
      curve.push(point);
      last = point;
      callbacks.onEvaluation?.(point);
      if (point.mcc !== undefined && (!best || point.mcc > best.mcc!)) best = point;
      if (point.valLoss < bestValLoss - 1e-9) {
        bestValLoss = point.valLoss;
        sinceImprovement = 0;
      } else {
        sinceImprovement++;
      }
      if (cfg.checkpointDir && (cfg.checkpointEvery > 0 ? epoch % cfg.checkpointEvery === 0 : epoch === cfg.epochs)) {
        await saveCrlCheckpoint(cfg.checkpointDir, model, { epoch, curve, epochs, optimizerSteps: optimizer.steps, config: { model: modelConfig, train: cfg } }, optimizer.stateDict());
      }
      if (cfg.patience > 0 && sinceImprovement >= cfg.patience) {
        stoppedEarly = true;
        callbacks.onProgress?.(epoch, cfg.epochs, `early stop: no validation improvement in ${cfg.patience} evaluations`);
        break;
      }
    } else if (cfg.checkpointDir && cfg.checkpointEvery > 0 && epoch % cfg.checkpointEvery === 0) {
      await saveCrlCheckpoint(cfg.checkpointDir, model, { epoch, curve, epochs, optimizerSteps: optimizer.steps, config: { model: modelConfig, train: cfg } }, optimizer.stateDict());
    }
    callbacks.onProgress?.(epoch, cfg.epochs, `loss ${(sums.loss / sums.batches).toPrecision(4)}${last?.mcc !== undefined ? `, MCC ${last.mcc.toFixed(3)}` : ""}`);
    // Let the event loop breathe (progress output, signals) between epochs.
    await new Promise((resolve) => setImmediate(resolve));
  }

  if (!last || last.epoch !== epoch) {
    last = evaluatePoint(model, evalBatch, truthEval, data, cfg, rng.fork(2000 + epoch), {
      epoch, seconds: (performance.now() - started) / 1000, learningRate: optimizer.lr,
      trainLoss: epochs[epochs.length - 1]?.loss ?? NaN, trainRecon: NaN, trainNll: NaN,
    });
    curve.push(last);
    if (last.mcc !== undefined && (!best || last.mcc > best.mcc!)) best = last;
  }
  if (cfg.checkpointDir && cfg.checkpointEvery > 0 && epoch % cfg.checkpointEvery !== 0) {
    await saveCrlCheckpoint(cfg.checkpointDir, model, { epoch, curve, epochs, optimizerSteps: optimizer.steps, config: { model: modelConfig, train: cfg } }, optimizer.stateDict());
  }

  const allRows = Array.from({ length: n }, (_, i) => i);
  const z = model.encode(gather(allRows));
  const latents: Matrix = { rows: n, cols: z.cols, data: Float64Array.from(z.data) };
  const learnedAdjacency = model.learnedAdjacency();
  let alignedAdjacency: number[][] | undefined;
  if (data.truth && truthEval) {
    const match = mcc(truthEval, pickRows(latents, evalRows));
    alignedAdjacency = alignToTruth(learnedAdjacency, match.rowInd, match.colInd, data.truth.latents.cols);
  }
  const ranEpochs = epoch - startEpoch;
  return {
    model,
    config: { model: modelConfig, train: cfg },
    curve,
    epochs,
    best,
    final: last,
    epochsRun: epoch,
    stoppedEarly,
    secondsPerEpoch: ranEpochs > 0 ? trainingSeconds / ranEpochs : NaN,
    trainRows,
    evalRows,
    latents,
    latentNames: model.latentNames,
    learnedAdjacency,
    alignedAdjacency,
    standardization,
    resumedFromEpoch,
    restartNlls,
    restartChosen,
  };
}

function evaluatePoint(
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
      point.shd = shd(data.truth.adjacency, alignToTruth(model.learnedAdjacency(), match.rowInd, match.colInd, truthEval.cols));
    }
  }
  return point;
}

function checkShapes(data: CrlDataset, model: CrlModel): void {
  const c = model.config;
  if (c.modalities.length !== data.modalities.length) {
    throw new UsageError(`the model has ${c.modalities.length} modalities, the data ${data.modalities.length} (${data.modalities.map((m) => m.name).join(", ")})`);
  }
  c.modalities.forEach((m, i) => {
    const d = data.modalities[i]!;
    if (m.inputDim !== d.inputDim || m.measurements !== d.measurements.length) {
      throw new UsageError(`modality "${m.name}": the model expects ${m.measurements} × ${m.inputDim}-d inputs, the data has ${d.measurements.length} × ${d.inputDim}-d`);
    }
  });
}

function fitStandardization(x: Float32Array, dim: number, rows: readonly number[], enabled: boolean): { mean: Float32Array; sd: Float32Array } {
  const mean = new Float32Array(dim);
  const sd = new Float32Array(dim).fill(1);
  if (!enabled) return { mean, sd };
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
  for (let j = 0; j < dim; j++) {
    const mu = sum[j]! / n;
    const variance = Math.max(0, sumSq[j]! / n - mu * mu) * (n / Math.max(1, n - 1));
    mean[j] = mu;
    // A constant column stays as it is (centred), rather than dividing by zero.
    sd[j] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { mean, sd };
}

function applyStandardization(x: Float32Array, dim: number, s: { mean: Float32Array; sd: Float32Array }): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % dim;
    out[i] = (x[i]! - s.mean[j]!) / s.sd[j]!;
  }
  return out;
}

function gatherRows(x: Float32Array, dim: number, rows: readonly number[]): Tensor {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(x.subarray(r * dim, (r + 1) * dim), i * dim));
  return new Tensor(out, [rows.length, dim]);
}

function pickRows(m: Matrix, rows: readonly number[]): Matrix {
  const data = new Float64Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { rows: rows.length, cols: m.cols, data };
}

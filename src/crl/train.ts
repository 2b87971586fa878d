/**
 * Trains the CRL model (model.ts): a seeded train/evaluation split, per-column standardisation fitted
 * on the training rows, full-batch (as the reference) or mini-batch Adam with a step scheduler,
 * evaluation every k epochs (validation loss; MCC, R² and SHD when ground truth exists), best-MCC
 * tracking, early stopping on the validation loss, checkpoints and resume, and the metric curves.
 *
 * `trainCrl` runs the stages in order, each in its own module so it can be read and tested alone:
 * data (train-data.ts: split, standardisation, batches) → model and optimiser (here) → resume
 * (train-checkpoint.ts) → restarts and epochs (train-epoch.ts) → evaluations, best MCC and early
 * stopping (train-evaluate.ts) → checkpoints (train-checkpoint.ts) → final outputs (train-evaluate.ts).
 */
import { formatZodIssues, UsageError } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { Adam, StepLR } from "../nn/optim.ts";
import { StepArena } from "../nn/tensor.ts";
import { Rng } from "../util/rng.ts";
import type { ProgressCallback } from "../util/progress.ts";
import { CrlModelConfig, CrlTrainConfig, type ResolvedCrlTrainConfig } from "./config.ts";
import { validateDataset, type CrlDataset } from "./data.ts";
import { CrlModel } from "./model.ts";
import { checkpointDue, resumeFromCheckpoint, writeCheckpoint } from "./train-checkpoint.ts";
import { prepareTrainingData, type ColumnStandardization } from "./train-data.ts";
import { runEpoch, runRestarts, yieldToEventLoop, type EpochContext, type EpochRecord } from "./train-epoch.ts";
import { betterByMcc, evaluatePoint, finalOutputs, ValidationPatience, type CurvePoint } from "./train-evaluate.ts";

export type { CurvePoint } from "./train-evaluate.ts";
export type { EpochRecord } from "./train-epoch.ts";

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
  standardization: ColumnStandardization[][];
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
  const prepared = prepareTrainingData(data, cfg, rng);
  const ctx: EpochContext = { cfg, data: prepared, rng, arena: new StepArena() };
  let optimizer = new Adam(model.parameters(), { lr: cfg.learningRate });

  const curve: CurvePoint[] = [];
  const epochs: EpochRecord[] = [];
  let startEpoch = 0;
  const resumed = await resumeFromCheckpoint(cfg, model, optimizer);
  if (resumed) {
    startEpoch = resumed.epoch;
    curve.push(...resumed.curve);
    epochs.push(...resumed.epochs);
  }

  let restartNlls: number[] | undefined;
  let restartChosen: number | undefined;
  if (cfg.restarts > 1 && startEpoch === 0 && cfg.restartEpochs < cfg.epochs) {
    const kept = await runRestarts({ model, optimizer }, modelConfig, ctx, callbacks.onProgress);
    ({ model, optimizer, nlls: restartNlls, chosen: restartChosen } = kept);
    epochs.push(...kept.records);
    startEpoch = cfg.restartEpochs;
  }
  const scheduler = cfg.lrStepEpochs > 0 ? new StepLR(optimizer, cfg.lrStepEpochs, cfg.lrGamma) : undefined;
  for (let e = 0; e < startEpoch; e++) scheduler?.step();

  const started = performance.now();
  const patience = new ValidationPatience(cfg.patience);
  let stoppedEarly = false;
  let best = curve.reduce<CurvePoint | undefined>(betterByMcc, undefined);
  let trainingSeconds = 0;
  let epoch = startEpoch;
  let last: CurvePoint | undefined;
  const evaluate = (base: Pick<CurvePoint, "trainLoss" | "trainRecon" | "trainNll">) =>
    evaluatePoint(model, prepared.evalBatch, prepared.truthEval, data, cfg, rng.fork(2000 + epoch), {
      epoch, seconds: (performance.now() - started) / 1000, learningRate: optimizer.lr, ...base,
    });

  while (epoch < cfg.epochs) {
    const epochStart = performance.now();
    const sums = runEpoch(model, optimizer, epoch, ctx);
    scheduler?.step();
    epoch++;
    const epochSeconds = (performance.now() - epochStart) / 1000;
    trainingSeconds += epochSeconds;
    epochs.push({ epoch, loss: sums.loss / sums.batches, seconds: epochSeconds });

    const evaluated = epoch % cfg.evalEvery === 0 || epoch === cfg.epochs;
    let stop = false;
    if (evaluated) {
      last = evaluate({ trainLoss: sums.loss / sums.batches, trainRecon: sums.recon / sums.batches, trainNll: sums.nll / sums.batches });
      curve.push(last);
      callbacks.onEvaluation?.(last);
      best = betterByMcc(best, last);
      stop = patience.update(last.valLoss);
    }
    if (checkpointDue(cfg, epoch, evaluated)) await writeCheckpoint(cfg, modelConfig, model, optimizer, { epoch, curve, epochs });
    if (stop) {
      stoppedEarly = true;
      callbacks.onProgress?.(epoch, cfg.epochs, `early stop: no validation improvement in ${cfg.patience} evaluations`);
      break;
    }
    callbacks.onProgress?.(epoch, cfg.epochs, `loss ${(sums.loss / sums.batches).toPrecision(4)}${last?.mcc !== undefined ? `, MCC ${last.mcc.toFixed(3)}` : ""}`);
    await yieldToEventLoop();
  }

  ctx.arena?.release(); // the last step's activations are not needed any more

  // Finalise: the last epoch is always evaluated and checkpointed (also when resumed past the end).
  if (!last || last.epoch !== epoch) {
    last = evaluate({ trainLoss: epochs[epochs.length - 1]?.loss ?? NaN, trainRecon: NaN, trainNll: NaN });
    curve.push(last);
    best = betterByMcc(best, last);
  }
  if (cfg.checkpointDir && cfg.checkpointEvery > 0 && epoch % cfg.checkpointEvery !== 0) {
    await writeCheckpoint(cfg, modelConfig, model, optimizer, { epoch, curve, epochs });
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
    trainRows: prepared.trainRows,
    evalRows: prepared.evalRows,
    ...finalOutputs(model, prepared.gather, data, prepared.evalRows, prepared.truthEval),
    latentNames: model.latentNames,
    standardization: prepared.standardization,
    resumedFromEpoch: resumed?.epoch,
    restartNlls,
    restartChosen,
  };
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

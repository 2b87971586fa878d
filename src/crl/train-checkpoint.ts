/**
 * Training stage 4: checkpoints. Restoring a run from its checkpoint directory (model, curves, Adam state)
 * and the rule for which epochs write one.
 */
import type { Adam } from "../nn/optim.ts";
import type { CrlModelConfig, ResolvedCrlTrainConfig } from "./config.ts";
import { loadCrlCheckpoint, loadCrlOptimizerState, saveCrlCheckpoint } from "./checkpoint.ts";
import type { CrlModel } from "./model.ts";
import type { EpochRecord } from "./train-epoch.ts";
import type { CurvePoint } from "./train-evaluate.ts";

export interface ResumedRun {
  /** Epochs already trained. */
  epoch: number;
  curve: CurvePoint[];
  epochs: EpochRecord[];
}

/**
 * Loads the latest checkpoint of `cfg.checkpointDir` into `model` and `optimizer` when `cfg.resume` is set
 * and one exists; undefined otherwise.
 */
export async function resumeFromCheckpoint(cfg: ResolvedCrlTrainConfig, model: CrlModel, optimizer: Adam): Promise<ResumedRun | undefined> {
  if (!cfg.resume || !cfg.checkpointDir) return undefined;
  const restored = await loadCrlCheckpoint(cfg.checkpointDir, model);
  if (!restored) return undefined;
  const adamState = await loadCrlOptimizerState(cfg.checkpointDir);
  if (adamState) optimizer.loadStateDict(adamState);
  else optimizer.steps = restored.optimizerSteps; // a checkpoint written before Adam's state was saved
  return { epoch: restored.epoch, curve: restored.curve as CurvePoint[], epochs: restored.epochs as EpochRecord[] };
}

/**
 * Whether the epoch just finished writes a checkpoint: every `checkpointEvery` epochs, or (0) only after
 * the last epoch when it is evaluated. The end of training writes one more when the last epoch is off
 * this schedule (see `trainCrl`).
 */
export function checkpointDue(cfg: ResolvedCrlTrainConfig, epoch: number, evaluated: boolean): boolean {
  if (!cfg.checkpointDir) return false;
  if (cfg.checkpointEvery > 0) return epoch % cfg.checkpointEvery === 0;
  return evaluated && epoch === cfg.epochs;
}

/** Writes the model, its training state and Adam's moments to `cfg.checkpointDir`. */
export async function writeCheckpoint(
  cfg: ResolvedCrlTrainConfig,
  modelConfig: CrlModelConfig,
  model: CrlModel,
  optimizer: Adam,
  state: { epoch: number; curve: CurvePoint[]; epochs: EpochRecord[] },
): Promise<void> {
  await saveCrlCheckpoint(cfg.checkpointDir!, model, { ...state, optimizerSteps: optimizer.steps, config: { model: modelConfig, train: cfg } }, optimizer.stateDict());
}

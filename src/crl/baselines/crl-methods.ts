/**
 * The CRL estimators on variant MNIST, all through trainCrl's public API:
 *
 *   personax           PersonaX CRL, default mode (our fixes), the digit's three colour renderings as its
 *                      three measurements
 *   personax-faithful  the same data in faithful mode (the public code's behaviour)
 *   mmcrl              MMCRL (Sun et al., ICLR 2025): the same estimator as `personax` with one
 *                      measurement per modality (the red rendering), so the comparison isolates what the
 *                      extra measurements add
 *
 * Model: 2 latents per modality, no shared latent, in→128→64→out encoders; the loss coefficients are Sun et
 * al.'s for MNIST (α_Recon 2, α_Ind 1e-2, α_Sp 1e-3); the mode's other settings are trainCrl's synthetic
 * defaults. Training: the common budget (common.ts), evaluated once at the end on trainCrl's own seeded
 * 10 % evaluation split.
 */
import { syntheticModelDefaults, syntheticTrainDefaults } from "../synthetic-run.ts";
import { modalityConfigs } from "../data.ts";
import { trainCrl, type CrlTrainResult } from "../train.ts";
import type { CrlMode, CrlModelConfig, CrlTrainConfig } from "../config.ts";
import { variantMnistDataset, type VariantMnistData } from "../../synth/variant-mnist.ts";
import { applyScale, fitScale, type MethodRun, type MnistTrainBudget } from "./common.ts";
import type { ProgressCallback } from "../../util/progress.ts";

/** Sun et al. 2025's variant-MNIST coefficients. */
export const SUN_MNIST_COEFFICIENTS = { reconCoef: 2, klCoef: 1e-2, sparsityCoef: 1e-3 } as const;

export interface CrlMethodOptions {
  mode: CrlMode;
  measurements: 1 | 3;
  /** Overrides of the model settings (experiments). */
  model?: Partial<CrlModelConfig>;
}

export function mnistCrlConfigs(data: VariantMnistData, options: CrlMethodOptions, budget: MnistTrainBudget, seed: number) {
  // The inputs are scaled here (the budget's scaling, fitted on the generator's training rows) and trainCrl's
  // own per-column standardisation is off, so every method sees the same inputs.
  const raw = variantMnistDataset(data, options.measurements);
  const inputScales = raw.modalities.map((m) => m.measurements.map((values) => fitScale({ dim: m.inputDim, values }, data.trainRows, budget.scaling)));
  const dataset = {
    ...raw,
    modalities: raw.modalities.map((m, mi) => ({ ...m, measurements: m.measurements.map((values, k) => applyScale({ dim: m.inputDim, values }, inputScales[mi]![k]!).values) })),
  };
  const model: CrlModelConfig = {
    modalities: modalityConfigs(dataset, [2, 2]),
    sharedDim: 0,
    mode: options.mode,
    hidden: budget.hidden,
    ...syntheticModelDefaults(options.mode),
    ...SUN_MNIST_COEFFICIENTS,
    ...options.model,
  };
  const defaults = syntheticTrainDefaults(options.mode);
  const train: CrlTrainConfig = {
    ...defaults,
    epochs: budget.epochs,
    learningRate: budget.learningRate,
    batchSize: budget.batchSize,
    standardize: false,
    evalEvery: budget.epochs,
    // The KL warm-up spans at most a quarter of a short budget.
    klWarmupEpochs: Math.min(defaults.klWarmupEpochs, Math.ceil(budget.epochs / 4)),
    seed,
  };
  return { dataset, model, train, inputScales };
}

export async function trainMnistCrl(
  data: VariantMnistData, options: CrlMethodOptions, budget: MnistTrainBudget, seed: number, onProgress?: ProgressCallback,
): Promise<MethodRun & { training: CrlTrainResult }> {
  const { dataset, model, train, inputScales } = mnistCrlConfigs(data, options, budget, seed);
  const training = await trainCrl(dataset, model, train, { onProgress });
  return {
    mcc: training.final.mcc ?? NaN,
    r2: training.final.r2 ?? NaN,
    r2HeldOut: training.final.r2HeldOut ?? NaN,
    secondsPerEpoch: training.secondsPerEpoch,
    epochs: training.epochsRun,
    latents: training.latents,
    evalRows: training.evalRows,
    training,
    inputScales,
  };
}

/**
 * Trains the CRL model on one seeded replicate of a numeric benchmark case (src/synth/crl-cases.ts) and
 * scores it against the ground truth: the library function behind `personax crl bench-case`, the
 * benchmark and the demo.
 */
import { generateCrlCase } from "../synth/crl-cases.ts";
import type { CrlMode, CrlModelConfig, CrlTrainConfig } from "./config.ts";
import { datasetFromMultimodal, modalityConfigs } from "./data.ts";
import { trainCrl, type CrlTrainCallbacks, type CrlTrainResult } from "./train.ts";

/**
 * Training settings for the synthetic cases (small models, DESIGN: in→128→64→out, LeakyReLU). Mini-batches
 * of 256 rows give ~35 Adam steps per epoch at n = 10,000; 200 epochs (~7,000 steps, ~25 s per case a
 * replicate on 2 cores) because the latents keep separating long after the reconstruction has converged
 * (case a, seeds 1–5, default mode: MCC 0.76 after 40 epochs, 0.83 after 100, 0.85 after 200). Both modes
 * get the same budget. The default mode's variational encoders get a 15-epoch KL warm-up: without it some
 * replicates lose latents to posterior collapse (case b, seed 2: MCC 0.35 → 0.87 with the warm-up).
 * Since the default mode gained the independence and content terms (issue 12) it trains 60 epochs: on case a
 * (data seeds 201–206 × 2 initialisations) 60 epochs gave MCC 0.91 ± 0.05; the faithful mode keeps its 200, so
 * the comparison gives the reference the larger budget.
 */
export function syntheticTrainDefaults(mode: CrlMode) {
  return {
    epochs: mode === "default" ? 60 : 200,
    learningRate: 3e-3,
    batchSize: 256,
    evalEvery: 10,
    validationFraction: 0.1,
    klWarmupEpochs: mode === "default" ? 15 : 0,
  } satisfies CrlTrainConfig;
}

/**
 * Model settings per mode. Faithful keeps the reference's coefficients and its 5-layer RealNVP. The
 * default mode was tuned on case a (seeds 1–4): klCoef 0.03 (0.01 left latents mixed with the noise
 * dims, 0.1 collapsed one), and no RealNVP on top of the additive-noise prior: the dense flow couples
 * every latent with every other, which makes the prior invariant to rotations of the latents and cost
 * ~0.15 MCC (0.61 vs 0.76–0.80 on seeds 1 and 3). consistencyCoef 5 (per-element MSE between a modality's
 * measurements, tuned on case d): the measurements must agree on z, so their private noise goes to η
 * (case d, seeds 1–5: MCC 0.80 on average, against 0.64 with the reference's 1e-5 Frobenius term; measured
 * with 40 epochs on the graphs drawn before the structural-sparsity condition).
 */
export function syntheticModelDefaults(mode: CrlMode): Partial<CrlModelConfig> {
  return mode === "default" ? { klCoef: 0.03, flowLayers: 0, consistencyCoef: 5 } : {};
}

export interface SyntheticRunOptions {
  caseId: string;
  seed: number;
  mode?: CrlMode;
  /** Rows generated (default: the case's 10,000). */
  nSamples?: number;
  /** Law of the exogenous noises of the generated data (default gaussian). */
  noiseDistribution?: "gaussian" | "laplace" | "uniform";
  model?: Partial<CrlModelConfig>;
  train?: CrlTrainConfig;
  callbacks?: CrlTrainCallbacks;
}

export interface SyntheticRunResult {
  caseId: string;
  seed: number;
  mode: CrlMode;
  /** On the evaluation split after the last epoch. */
  mcc: number;
  r2: number;
  r2HeldOut: number;
  shd?: number;
  bestMcc?: number;
  bestEpoch?: number;
  secondsPerEpoch: number;
  epochs: number;
  trueNames: string[];
  trueAdjacency: number[][];
  trueOwner: number[];
  modalityNames: string[];
  training: CrlTrainResult;
}

export async function runSyntheticCase(options: SyntheticRunOptions): Promise<SyntheticRunResult> {
  const data = generateCrlCase(options.caseId, options.seed, { nSamples: options.nSamples, noiseDistribution: options.noiseDistribution });
  const dataset = datasetFromMultimodal(data);
  const mode = options.mode ?? "default";
  const modelConfig: CrlModelConfig = {
    modalities: modalityConfigs(dataset, data.spec.modalities.map((m) => m.latentDim)),
    sharedDim: data.spec.sharedDim,
    mode,
    ...syntheticModelDefaults(mode),
    ...options.model,
  };
  const training = await trainCrl(dataset, modelConfig, { ...syntheticTrainDefaults(mode), seed: options.seed, ...options.train }, options.callbacks);
  return {
    caseId: options.caseId,
    seed: options.seed,
    mode,
    mcc: training.final.mcc!,
    r2: training.final.r2 ?? NaN,
    r2HeldOut: training.final.r2HeldOut ?? NaN,
    shd: training.final.shd,
    bestMcc: training.best?.mcc,
    bestEpoch: training.best?.epoch,
    secondsPerEpoch: training.secondsPerEpoch,
    epochs: training.epochsRun,
    trueNames: data.truth.names,
    trueAdjacency: data.truth.adjacency,
    trueOwner: data.truth.owner,
    modalityNames: data.modalityNames,
    training,
  };
}

/**
 * The methods of the variant-MNIST benchmark (the PersonaX paper's synthetic table), one descriptor each:
 * the CLI's --method choices, the benchmark's rows and the report's table come from `mnistMethods`.
 *
 *   runMnistMethod({ method, seed, n, epochs })   generate the seed's data, train, score (run.ts)
 */
import type { VariantMnistData } from "../../synth/variant-mnist.ts";
import { trainBetaVae } from "./beta-vae.ts";
import type { MethodRun, MnistTrainBudget } from "./common.ts";
import { trainMnistCrl } from "./crl-methods.ts";
import { trainMcl } from "./mcl.ts";
import type { ProgressCallback } from "../../util/progress.ts";

export interface MnistMethod {
  title: string;
  reference: string;
  /** The paper's reported numbers (PersonaX paper, variant-MNIST table), when it reports this method. */
  paper?: { r2: number; mcc: number };
  train: (data: VariantMnistData, budget: MnistTrainBudget, seed: number, onProgress?: ProgressCallback) => Promise<MethodRun>;
}

export const mnistMethods = {
  personax: {
    title: "PersonaX CRL (3 measurements, default mode)",
    reference: "PersonaX, ICLR 2026 (arXiv 2509.11362), with our fixes (src/crl/config.ts)",
    paper: { r2: 0.96, mcc: 0.92 },
    train: (data, budget, seed, p) => trainMnistCrl(data, { mode: "default", measurements: 3 }, budget, seed, p),
  },
  "personax-faithful": {
    title: "PersonaX CRL (3 measurements, faithful to the public code)",
    reference: "PersonaX public code (CausalMultimodal), defects included",
    train: (data, budget, seed, p) => trainMnistCrl(data, { mode: "faithful", measurements: 3 }, budget, seed, p),
  },
  mmcrl: {
    title: "MMCRL (1 measurement per modality)",
    reference: "Sun et al., ICLR 2025: multimodal CRL; same estimator, red rendering only",
    paper: { r2: 0.90, mcc: 0.85 },
    train: (data, budget, seed, p) => trainMnistCrl(data, { mode: "default", measurements: 1 }, budget, seed, p),
  },
  mcl: {
    title: "MCL (multimodal contrastive learning)",
    reference: "Daunhawer et al., ICLR 2023: symmetric InfoNCE, one encoder per modality",
    paper: { r2: 0.79, mcc: 0.63 },
    train: trainMcl,
  },
  betavae: {
    title: "BetaVAE (β = 4, all inputs concatenated)",
    reference: "Higgins et al., ICLR 2017",
    paper: { r2: 0.68, mcc: 0.53 },
    train: trainBetaVae,
  },
} as const satisfies Record<string, MnistMethod>;

export type MnistMethodName = keyof typeof mnistMethods;
export const MNIST_METHOD_NAMES = Object.keys(mnistMethods) as MnistMethodName[];

export { MNIST_BUDGET, type MnistTrainBudget, type MethodRun } from "./common.ts";
export { runMnistMethod, saveMnistRun, type MnistRunOptions, type MnistRunResult } from "./run.ts";

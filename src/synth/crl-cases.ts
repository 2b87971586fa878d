/**
 * The numeric benchmark cases of issue 6 (after Sun et al., ICLR 2025): n = 10,000 rows, random 3-layer
 * LeakyReLU MLP mixing, a sparse random cross-modal latent DAG, one η noise dimension per measurement.
 *
 *   a  2 modalities × 15-d observations, 2 latents + 1 noise each
 *   b  2 modalities × 20-d, 3 latents each
 *   c  4 modalities × 30-d, 2 latents each
 *   d  case a with 3 measurements of modality 1
 *   e  case a with a shared latent
 */
import { UsageError } from "../errors.ts";
import { Rng } from "../util/rng.ts";
import { generateMultimodal, type MultimodalData, type MultimodalSpec } from "./multimodal.ts";

export const crlCaseIds = ["a", "b", "c", "d", "e"] as const;
export type CrlCaseId = (typeof crlCaseIds)[number];

export interface CrlCase {
  id: CrlCaseId;
  title: string;
  spec: MultimodalSpec;
}

const N_SAMPLES = 10_000;

/** Case definitions; `nSamples` may be overridden (tests and the demo use fewer rows). */
export interface CrlCaseOptions {
  nSamples?: number;
  /** Law of the exogenous noises (default gaussian); see MultimodalSpec.noiseDistribution. */
  noiseDistribution?: "gaussian" | "laplace" | "uniform";
}

export function crlCase(id: string, options: CrlCaseOptions = {}): CrlCase {
  const nSamples = options.nSamples ?? N_SAMPLES;
  const base = { nSamples, noiseDim: 1, edgeProbability: 0.5, mechanism: "nonlinear" as const, noiseDistribution: options.noiseDistribution ?? "gaussian" };
  const twoBy = (obsDim: number, latentDim: number, measurements1 = 1) => [
    { name: "m1", latentDim, obsDim, measurements: measurements1 },
    { name: "m2", latentDim, obsDim, measurements: 1 },
  ];
  switch (id) {
    case "a":
      return { id, title: "2 modalities × 15-d, 2 latents + 1 noise each", spec: { ...base, modalities: twoBy(15, 2) } };
    case "b":
      return { id, title: "2 modalities × 20-d, 3 latents each", spec: { ...base, modalities: twoBy(20, 3) } };
    case "c":
      return {
        id,
        title: "4 modalities × 30-d, 2 latents each",
        spec: { ...base, modalities: [1, 2, 3, 4].map((m) => ({ name: `m${m}`, latentDim: 2, obsDim: 30, measurements: 1 })) },
      };
    case "d":
      return { id, title: "case a with 3 measurements of modality 1", spec: { ...base, modalities: twoBy(15, 2, 3) } };
    case "e":
      return { id, title: "case a with a shared latent", spec: { ...base, sharedDim: 1, modalities: twoBy(15, 2) } };
    default:
      throw new UsageError(`unknown CRL benchmark case "${id}"`, `use one of: ${crlCaseIds.join(", ")}`);
  }
}

/** Generates one seeded replicate of a case. */
export function generateCrlCase(id: string, seed: number, options: CrlCaseOptions = {}): MultimodalData & { case: CrlCase } {
  const c = crlCase(id, options);
  return { ...generateMultimodal(c.spec, new Rng(seed)), case: c };
}

/**
 * Synthetic face and text embeddings for the persons of a store, from the Level II generative model
 * (src/synth/multimodal.ts, the CRL engineer's generator): a shared latent s, modality latents z_face and
 * z_text linked by a sparse causal DAG, three measurements per modality (three face images, three LLM
 * descriptions), each mixed by a random LeakyReLU MLP. Gives the store (and its HF export) embedding columns
 * with a known latent structure.
 */
import { Rng } from "../util/rng.ts";
import { generateMultimodal } from "./multimodal.ts";
import type { EmbeddingRow } from "../dataset/schema.ts";

export interface PersonaEmbeddingOptions {
  seed: number;
  /** Shared latent size (the paper: 3 for celebrities, 2 for athletes). */
  sharedDim?: number;
  /** Latents per modality. */
  latentDim?: number;
  /** Embedding length of every measurement. */
  dim?: number;
  /** Measurements per modality. */
  measurements?: number;
  model?: string;
}

export interface PersonaEmbeddings {
  rows: EmbeddingRow[];
  /** Latent names, owners (-1 shared, 0 face, 1 text) and the DAG (adjacency[i][j] = 1: i → j). */
  truth: { model: string; names: string[]; owner: number[]; adjacency: number[][]; modalities: string[] };
}

export function synthPersonaEmbeddings(ids: readonly string[], options: PersonaEmbeddingOptions): PersonaEmbeddings {
  const { sharedDim = 3, latentDim = 2, dim = 16, measurements = 3, model = "synthetic-mlp" } = options;
  const data = generateMultimodal({
    nSamples: ids.length, sharedDim, noiseDim: 1,
    modalities: [{ name: "face", latentDim, measurements, obsDim: dim }, { name: "text", latentDim, measurements, obsDim: dim }],
  }, new Rng(options.seed));
  const rows: EmbeddingRow[] = [];
  const kinds = ["face", "text"] as const;
  data.observations.forEach((perMeasurement, m) => {
    perMeasurement.forEach((x, k) => {
      for (let i = 0; i < ids.length; i++) {
        rows.push({ person_id: ids[i]!, kind: kinds[m]!, measurement: k, model, vector: Float32Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)) });
      }
    });
  });
  return { rows, truth: { model, names: data.truth.names, owner: data.truth.owner, adjacency: data.truth.adjacency, modalities: data.modalityNames } };
}

/**
 * What the CRL trainer consumes: per modality, K measurement matrices (float32, row-major, n × inputDim)
 * over the same n persons in the same order, plus ground truth when the data is synthetic.
 */
import { UsageError } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";
import type { MultimodalData } from "../synth/multimodal.ts";
import type { CrlModalityConfig } from "./config.ts";

export interface CrlModalityData {
  name: string;
  inputDim: number;
  /** One n × inputDim Float32 block per measurement. */
  measurements: Float32Array[];
}

export interface CrlTruth {
  /** n × L true latents. */
  latents: Matrix;
  names: string[];
  /** adjacency[i][j] = 1 for i → j. */
  adjacency?: number[][];
  owner?: number[];
}

export interface CrlDataset {
  nRows: number;
  modalities: CrlModalityData[];
  /** Row identifiers (person ids) when the data comes from a store. */
  ids?: string[];
  truth?: CrlTruth;
}

/** Synthetic multimodal data (src/synth/multimodal.ts) as a CRL dataset with its truth. */
export function datasetFromMultimodal(data: MultimodalData): CrlDataset {
  return {
    nRows: data.spec.nSamples,
    modalities: data.observations.map((ms, m) => ({
      name: data.modalityNames[m]!,
      inputDim: ms[0]!.cols,
      measurements: ms.map((x) => Float32Array.from(x.data)),
    })),
    truth: { latents: data.truth.latents, names: data.truth.names, adjacency: data.truth.adjacency, owner: data.truth.owner },
  };
}

/** Model modality configs matching a dataset, given each modality's latent size. */
export function modalityConfigs(data: CrlDataset, latentDims: number[]): CrlModalityConfig[] {
  if (latentDims.length !== data.modalities.length) {
    throw new UsageError(`${latentDims.length} latent sizes given for ${data.modalities.length} modalities (${data.modalities.map((m) => m.name).join(", ")})`,
      "give one latent size per modality");
  }
  return data.modalities.map((m, i) => ({ name: m.name, inputDim: m.inputDim, latentDim: latentDims[i]!, measurements: m.measurements.length }));
}

/** Checks that every block has n × inputDim finite values. */
export function validateDataset(data: CrlDataset): void {
  if (data.modalities.length === 0) throw new UsageError("CRL dataset has no modality");
  for (const m of data.modalities) {
    if (m.measurements.length === 0) throw new UsageError(`modality "${m.name}" has no measurement`);
    m.measurements.forEach((x, k) => {
      if (x.length !== data.nRows * m.inputDim) {
        throw new UsageError(`modality "${m.name}" measurement ${k + 1} has ${x.length} values, expected ${data.nRows} rows × ${m.inputDim}`);
      }
      for (let i = 0; i < x.length; i++) {
        if (!Number.isFinite(x[i]!)) {
          throw new UsageError(`modality "${m.name}" measurement ${k + 1}, row ${Math.floor(i / m.inputDim) + 1}, column ${(i % m.inputDim) + 1}: value ${x[i]} is not finite`,
            "drop or impute that row before training");
        }
      }
    });
  }
  if (data.truth && data.truth.latents.rows !== data.nRows) {
    throw new UsageError(`true latents have ${data.truth.latents.rows} rows but the observations have ${data.nRows}`);
  }
}

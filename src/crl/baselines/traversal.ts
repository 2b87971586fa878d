/**
 * Latent traversals of a trained CRL model: encode one row, move one learned latent through its range
 * (the 5th to 95th percentile over the evaluation rows) with every other code dimension held, and decode
 * through each measurement's decoder of the latent's modality. Values are mapped back through the trainer's
 * standardisation and any scaling applied before training (`inputScales`, as the variant-MNIST methods
 * do) to the raw input scale, so for variant MNIST each decoded vector is an image tile.
 */
import type { BlockScale } from "./common.ts";
import { Tensor, noGrad } from "../../nn/tensor.ts";
import type { CrlDataset } from "../data.ts";
import type { CrlTrainResult } from "../train.ts";

export interface LatentTraversal {
  /** Learned latent name (e.g. "digit_z1") and its values along the traversal. */
  latent: string;
  modality: string;
  values: number[];
  /** decoded[k][s]: measurement k of the modality at step s, in input units. */
  decoded: Float32Array[][];
}

/** `data` holds the raw inputs; `inputScales[m][k]` the scaling applied to them before trainCrl saw them. */
export function latentTraversals(
  training: CrlTrainResult, data: CrlDataset, options: { row?: number; steps?: number; inputScales?: BlockScale[][] } = {},
): LatentTraversal[] {
  const model = training.model;
  const config = model.config;
  const steps = options.steps ?? 7;
  const row = options.row ?? training.evalRows[0]!;
  if (config.sharedDim > 0) throw new RangeError("latentTraversals: models with a shared latent are not supported");
  const out: LatentTraversal[] = [];
  let column = 0;
  config.modalities.forEach((m, mi) => {
    const modality = data.modalities[mi]!;
    const width = m.latentDim + config.noiseDim;
    // Raw value → model input: the pre-training scaling, then the trainer's standardisation (and back).
    const pre = (k: number) => options.inputScales?.[mi]?.[k];
    const toModel = (v: number, j: number, k: number) => {
      const p = pre(k), s = training.standardization[mi]![k]!;
      return ((p ? (v - p.mean[j]!) / p.sd[j]! : v) - s.mean[j]!) / s.sd[j]!;
    };
    const fromModel = (y: number, j: number, k: number) => {
      const p = pre(k), s = training.standardization[mi]![k]!;
      const v = y * s.sd[j]! + s.mean[j]!;
      return p ? v * p.sd[j]! + p.mean[j]! : v;
    };
    const x0 = Float32Array.from(modality.measurements[0]!.subarray(row * m.inputDim, (row + 1) * m.inputDim), (v, j) => toModel(v, j, 0));
    const code = noGrad(() => model.encoders[mi]![0]!.forward(new Tensor(x0, [1, m.inputDim])).data.slice(0, width));
    for (let t = 0; t < m.latentDim; t++, column++) {
      const learned = training.evalRows.map((r) => training.latents.data[r * training.latents.cols + column]!).sort((a, b) => a - b);
      const quantile = (q: number) => learned[Math.min(learned.length - 1, Math.round(q * (learned.length - 1)))]!;
      const values = Array.from({ length: steps }, (_, s) => quantile(0.05 + (0.9 * s) / Math.max(1, steps - 1)));
      const codes = new Float32Array(steps * width);
      values.forEach((v, s) => { codes.set(code, s * width); codes[s * width + t] = v; });
      const decoded = model.decoders[mi]!.map((decoder, k) => noGrad(() => {
        const y = decoder.forward(new Tensor(codes, [steps, width])).data;
        return Array.from({ length: steps }, (_, s) => Float32Array.from({ length: m.inputDim }, (_, j) => fromModel(y[s * m.inputDim + j]!, j, k)));
      }));
      out.push({ latent: model.latentNames[column]!, modality: m.name, values, decoded });
    }
  });
  return out;
}

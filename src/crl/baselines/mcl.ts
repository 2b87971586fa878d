/**
 * MCL: multimodal contrastive learning (Daunhawer et al., "Identifiability results for multimodal
 * contrastive learning", ICLR 2023). One encoder per modality (in→128→64→2, LeakyReLU), trained with the
 * symmetric InfoNCE loss across modalities (infonce.ts, τ = 1 as their code's default). The learned
 * latents are [f₁(x₁), f₂(x₂)]. Their theory identifies only the content shared by the modalities (here:
 * what the item's position shares with the digit through Z11 → Z21) up to an invertible map; the
 * modality-specific latents (transparency, gray level) get no learning signal, which is why MCL trails the
 * CRL methods on this benchmark. Modality 1's input is its three colour renderings concatenated (the same
 * pixels PersonaX CRL sees).
 */
import { MLP } from "../../nn/mlp.ts";
import { Module } from "../../nn/module.ts";
import { concat } from "../../nn/ops/index.ts";
import { Rng } from "../../util/rng.ts";
import type { VariantMnistData } from "../../synth/variant-mnist.ts";
import { SMALL_SIDE } from "../../synth/variant-mnist.ts";
import { concatBlocks, encodeAll, gatherBlock, scaleBlock, scoreLatents, trainMiniBatches, type MethodRun, type MnistTrainBudget } from "./common.ts";
import { symmetricInfoNce } from "./infonce.ts";
import type { ProgressCallback } from "../../util/progress.ts";

export const MCL_TAU = 1;

class MclModel extends Module {
  readonly f1: MLP;
  readonly f2: MLP;
  constructor(dim1: number, dim2: number, latentsPerModality: number, hidden: number[], rng: Rng) {
    super();
    const mlp = (widths: number[]) => new MLP(widths, rng, { activation: "leaky_relu", negativeSlope: 0.01, init: "xavier" });
    this.f1 = this.module("f1", mlp([dim1, ...hidden, latentsPerModality]));
    this.f2 = this.module("f2", mlp([dim2, ...hidden, latentsPerModality]));
  }
}

export async function trainMcl(data: VariantMnistData, budget: MnistTrainBudget, seed: number, onProgress?: ProgressCallback): Promise<MethodRun> {
  const rgb = SMALL_SIDE * SMALL_SIDE * 3;
  const x1 = concatBlocks(data.digitMeasurements.map((values) => scaleBlock({ dim: rgb, values }, data.trainRows, budget.scaling)), data.n);
  const x2 = scaleBlock({ dim: SMALL_SIDE * SMALL_SIDE, values: data.items }, data.trainRows, budget.scaling);
  const rng = new Rng(seed).fork(21);
  const model = new MclModel(x1.dim, x2.dim, 2, budget.hidden, rng.fork(1));
  const secondsPerEpoch = await trainMiniBatches(model, data.trainRows, budget, rng.fork(2),
    (rows) => symmetricInfoNce(model.f1.forward(gatherBlock(x1, rows)), model.f2.forward(gatherBlock(x2, rows)), MCL_TAU), onProgress);
  const latents = encodeAll(data.n, (rows) => concat([model.f1.forward(gatherBlock(x1, rows)), model.f2.forward(gatherBlock(x2, rows))], 1));
  return { ...scoreLatents(data.latents, latents, data.testRows, rng.fork(3)), secondsPerEpoch, epochs: budget.epochs, latents, evalRows: data.testRows };
}

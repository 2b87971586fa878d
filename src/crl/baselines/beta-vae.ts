/**
 * BetaVAE (Higgins et al., "β-VAE: Learning basic visual concepts with a constrained variational
 * framework", ICLR 2017): one VAE on all four measurements concatenated (3 × 588 + 196 = 1,960 inputs),
 * encoder in→128→64→2·4 (mean, log-variance of 4 latents), decoder 4→64→128→in, LeakyReLU; Gaussian
 * decoder with unit variance, so per row loss = ½‖x − x̂‖² + β·KL(q(z|x) ‖ N(0, I)), β = 4 (the paper's
 * common setting). The learned latents are the posterior means. It has no notion of modalities or of the
 * latents' causal relations: its prior makes the latents independent, while the true ones are not.
 */
import { MLP } from "../../nn/mlp.ts";
import { Module } from "../../nn/module.ts";
import { add, addScalar, exp, mul, scale, slice, square, sub, sum } from "../../nn/ops/index.ts";
import { Tensor } from "../../nn/tensor.ts";
import { Rng } from "../../util/rng.ts";
import { SMALL_SIDE, type VariantMnistData } from "../../synth/variant-mnist.ts";
import { concatBlocks, encodeAll, gatherBlock, scaleBlock, scoreLatents, trainMiniBatches, type MethodRun, type MnistTrainBudget } from "./common.ts";
import type { ProgressCallback } from "../../util/progress.ts";

export const BETA = 4;
const LATENTS = 4;

class BetaVae extends Module {
  readonly encoder: MLP;
  readonly decoder: MLP;
  constructor(dim: number, hidden: number[], rng: Rng) {
    super();
    const mlp = (widths: number[]) => new MLP(widths, rng, { activation: "leaky_relu", negativeSlope: 0.01, init: "xavier" });
    this.encoder = this.module("encoder", mlp([dim, ...hidden, 2 * LATENTS]));
    this.decoder = this.module("decoder", mlp([LATENTS, ...[...hidden].reverse(), dim]));
  }

  /** Negative ELBO per row (β-weighted KL), averaged over the batch. */
  loss(x: Tensor, rng: Rng): Tensor {
    const h = this.encoder.forward(x);
    const mu = slice(h, 1, 0, LATENTS);
    const logVar = slice(h, 1, LATENTS, 2 * LATENTS);
    const xi = new Tensor(Float32Array.from(rng.normals(mu.size)), mu.shape);
    const z = add(mu, mul(exp(scale(logVar, 0.5)), xi));
    const rows = x.rows;
    const recon = scale(this.decoder.mseLoss(z, x), x.cols / 2); // mean over rows of ½ Σ_j (x − x̂)²
    const kl = scale(sum(sub(add(square(mu), exp(logVar)), addScalar(logVar, 1))), 0.5 / rows);
    return add(recon, scale(kl, BETA));
  }
}

export async function trainBetaVae(data: VariantMnistData, budget: MnistTrainBudget, seed: number, onProgress?: ProgressCallback): Promise<MethodRun> {
  const rgb = SMALL_SIDE * SMALL_SIDE * 3;
  const x = concatBlocks([
    ...data.digitMeasurements.map((values) => ({ dim: rgb, values })),
    { dim: SMALL_SIDE * SMALL_SIDE, values: data.items },
  ].map((block) => scaleBlock(block, data.trainRows, budget.scaling)), data.n);
  const rng = new Rng(seed).fork(31);
  const model = new BetaVae(x.dim, budget.hidden, rng.fork(1));
  const secondsPerEpoch = await trainMiniBatches(model, data.trainRows, budget, rng.fork(2), (rows, noise) => model.loss(gatherBlock(x, rows), noise), onProgress);
  const latents = encodeAll(data.n, (rows) => slice(model.encoder.forward(gatherBlock(x, rows)), 1, 0, LATENTS));
  return { ...scoreLatents(data.latents, latents, data.testRows, rng.fork(3)), secondsPerEpoch, epochs: budget.epochs, latents, evalRows: data.testRows };
}

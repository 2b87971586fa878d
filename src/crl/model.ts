/**
 * The PersonaX causal representation learning model (DESIGN §1.3), for any number of modalities,
 * measurements per modality, latent sizes, shared-latent size, widths and activations.
 *
 * Forward pass on a batch (mirrors the public code's `CausalMultimodal.forward`):
 *   1. one MLP autoencoder per measurement: x_{m,k} → [z_{m,k}, η_{m,k}] → x̂_{m,k};
 *      when sharedDim > 0, one more autoencoder on the concatenation of every input: → [s, η_s] → x̂_all
 *      (default mode instead: every measurement's code is [ŝ_{m,k}, z_{m,k}, η_{m,k}], all of it decoded,
 *      and the ŝ_{m,k} must agree; config `sharedEncoder`)
 *   2. z_all = [s, z_{1,1}, z_{2,1}, …]  (the first measurement of each modality)
 *   3. learnable adjacency A (L × L, init 0.5 + 1e-5·N(0,1), zero diagonal) masked strictly
 *      lower-triangular: j < i can be a parent of i (causal order = index order); |A_ij| ≤ edgeThreshold is
 *      "no edge"
 *   4. per latent i, an MLP 2 → parentHidden → 1 (ReLU) on [z_i, parents_i] gives mid_i
 *   5. a RealNVP (flowLayers affine couplings, hidden flowHidden, scale = sigmoid(raw + 2)) maps mid → ε̂
 *      with log|det|
 *   loss = reconCoef·Σ MSE(x, x̂) + klCoef·NLL([ε̂, all η] | N(0, I), log|det|)
 *          + sparsityCoef·‖A ⊙ crossModalMask‖₁ + consistencyCoef·Σ_m mean_k ‖z_{m,k} − z_{m,1}‖_F
 *          (+ independenceCoef·Σ HSIC(η̂_{m,k}, x_{−m}) − contentCoef·Σ HSIC(ẑ_{m,i}, x_{−m}) in default mode:
 *          the noise codes must be independent of the other modalities, the latents must depend on them;
 *          see config.ts and dependence.ts)
 *
 * Modes (see config.ts): `faithful` keeps the public code's behaviour, defects included: deterministic
 * encoders; parents_i is the plain mean of the z_j with A_ij > threshold (a hard mask, so A gets no
 * gradient except from the L1 term); mid_i = MLP_i([z_i, parents_i]), which can ignore z_i; and the flow
 * never permutes, so the first half of mid passes through unchanged. `default` fixes each (every fix is
 * also a config switch): a differentiable gate parents_i = Σ_{j<i} A_ij φ_j(z_j) so the NLL shapes A;
 * additive noise mid_i = z_i − f_i(parents_i), a unit-diagonal triangular map, so the prior is a proper
 * density; variational encoders (mean, log-variance; reparameterised z; the ELBO's entropy term); and
 * coordinates reversed between coupling layers. Both use the true cross-modal block for the L1 term (the
 * public code's block indexing ignores the shared latents' offset) and omit its gradient-free
 * "connection penalty". Layers use nn's "xavier" (uniform) init where the reference uses xavier_normal_
 * (same variance).
 */
import { formatZodIssues, UsageError } from "../errors.ts";
import { Rng } from "../util/rng.ts";
import { Module } from "../nn/module.ts";
import { MLP } from "../nn/mlp.ts";
import { Tensor, noGrad } from "../nn/tensor.ts";
import {
  abs, add, addScalar, concat, div, exp, gatherColumns, log, mask, matmul, mean, mse, mul, relu, scale, sigmoid, slice, sqrt, square, sub, sum, transpose,
} from "../nn/ops/index.ts";
import { CrlModelConfig, MODE_DEFAULTS, type ResolvedCrlModelConfig } from "./config.ts";
import { constantCentredGram, normalizedHsic, type CentredGram } from "./dependence.ts";

const EVALUATION_NOISE_SEED = 20_260;
const LOG_VARIANCE_OFFSET = -4;
const cols = (x: Tensor, start: number, end: number) => slice(x, 1, start, end);
const concatCols = (parts: readonly Tensor[]) => (parts.length === 1 ? parts[0]! : concat(parts, 1));

/** One affine coupling: y2' = y2 · sigmoid(raw + 2) + shift, with [shift, raw] = net(y1) (reference RealNVP). */
class Coupling extends Module {
  readonly net: MLP;
  constructor(readonly split: number, readonly dim: number, hidden: number, rng: Rng) {
    super();
    this.net = this.module("net", new MLP([split, hidden, hidden, 2 * (dim - split)], rng, { activation: "relu", init: "xavier" }));
  }
  forward(y: Tensor): { out: Tensor; logScaleSum: Tensor } {
    const y1 = cols(y, 0, this.split);
    const y2 = cols(y, this.split, this.dim);
    const h = this.net.forward(y1);
    const k = this.dim - this.split;
    const s = sigmoid(addScalar(cols(h, k, 2 * k), 2));
    return { out: concatCols([y1, add(mul(y2, s), cols(h, 0, k))]), logScaleSum: sum(log(s)) };
  }
}

export interface CrlLossTerms {
  loss: Tensor;
  recon: number;
  nll: number;
  sparsity: number;
  consistency: number;
  /** Sum of the normalised HSIC of each η̂_{m,k} with its independence target (0 when the term is off). */
  independence: number;
}

export interface CrlForward extends CrlLossTerms {
  /** n × L: [s, z_{1,1}, z_{2,1}, …]. */
  zAll: Tensor;
  /** The parent-MLP outputs fed to the flow, and the flow's output ε̂ (for inspection). */
  mid: Tensor;
  epsilon: Tensor;
}

/** A batch: inputs[m][k] is an n × inputDim_m tensor. */
export type CrlBatch = Tensor[][];

export class CrlModel extends Module {
  readonly config: ResolvedCrlModelConfig;
  /** Names of the learned latents in z_all order: S1.. then <modality>_z1... */
  readonly latentNames: string[];
  /** -1 for a shared latent, else the modality index. */
  readonly owner: number[];
  readonly nLatents: number;
  readonly encoders: MLP[][];
  readonly decoders: MLP[][];
  readonly sharedEncoder?: MLP;
  readonly sharedDecoder?: MLP;
  /** The adjacency parameter A (L × L); row i holds the weights of i's candidate parents j < i. */
  readonly adjacencyParam: Tensor;
  /** Per-latent parent MLPs 2 → H → 1, vectorised over latents: each weight is a [1, L] or [H, L] tensor. */
  readonly parentZ: Tensor;
  readonly parentP: Tensor;
  readonly parentB: Tensor;
  readonly parentOutW: Tensor;
  readonly parentOutB: Tensor;
  /** φ_j of default mode: hidden unit h is relu(z·a[h] + c[h])·d[h], per latent column. */
  readonly phi?: { a: Tensor; c: Tensor; d: Tensor };
  readonly flow: Coupling[];
  private readonly lowerMask: Float32Array;
  private readonly sparsityMask: Float32Array;
  private readonly reversal: number[];
  readonly variational: boolean;
  /** Multiplies klCoef (the trainer's KL warm-up sets it from 0 to 1 over the first epochs). */
  priorWeight = 1;
  readonly additiveNoise: boolean;
  readonly consistencyForm: "frobenius" | "mse";
  readonly independenceCoef: number;
  readonly sparsityForm: "l1" | "path";
  readonly residualIndependenceCoef: number;
  readonly contentCoef: number;
  readonly contentGivenShared: boolean;
  readonly edgeThreshold: number;
  /** How the learned graph orients edges inside a block (config `withinOrientation`; applied by latent-graph.ts). */
  readonly withinOrientation: "index" | "anm";
  readonly independenceTarget: "inputs" | "latents" | "both";
  /** Width of the ŝ head of every measurement encoder: sharedDim under the "per-modality" shared encoder, else 0. */
  readonly sharedHeadDim: number;
  /** Draws the reparameterisation noise (variational mode). */
  private noiseRng: Rng;

  constructor(configInput: CrlModelConfig, rng: Rng) {
    super();
    const parsed = CrlModelConfig.safeParse(configInput);
    if (!parsed.success) {
      throw new UsageError(`invalid CRL model config: ${formatZodIssues(parsed.error.issues)}`);
    }
    const c = (this.config = parsed.data);
    const names: string[] = [];
    const owner: number[] = [];
    for (let j = 0; j < c.sharedDim; j++) { names.push(`S${j + 1}`); owner.push(-1); }
    c.modalities.forEach((m, mi) => {
      for (let j = 0; j < m.latentDim; j++) { names.push(`${m.name}_z${j + 1}`); owner.push(mi); }
    });
    this.latentNames = names;
    this.owner = owner;
    const L = (this.nLatents = names.length);
    if (L < 2) throw new UsageError("the CRL model needs at least 2 latents in z_all (shared + modality latents)");

    // Autoencoders. The reference initialises with xavier_normal_ and zero bias; nn's "xavier" is the
    // uniform variant with the same variance.
    this.variational = c.variational ?? c.mode === "default";
    this.additiveNoise = c.additiveNoise ?? c.mode === "default";
    this.consistencyForm = c.consistency ?? (c.mode === "default" ? "mse" : "frobenius");
    this.independenceCoef = c.independenceCoef ?? MODE_DEFAULTS[c.mode].independenceCoef;
    this.independenceTarget = c.independenceTarget ?? MODE_DEFAULTS[c.mode].independenceTarget;
    this.sparsityForm = c.sparsity ?? MODE_DEFAULTS[c.mode].sparsity;
    this.residualIndependenceCoef = c.residualIndependenceCoef ?? MODE_DEFAULTS[c.mode].residualIndependenceCoef;
    this.contentCoef = c.contentCoef ?? MODE_DEFAULTS[c.mode].contentCoef;
    this.contentGivenShared = c.contentGivenShared ?? MODE_DEFAULTS[c.mode].contentGivenShared;
    this.edgeThreshold = c.edgeThreshold ?? MODE_DEFAULTS[c.mode].edgeThreshold;
    this.withinOrientation = c.withinOrientation ?? MODE_DEFAULTS[c.mode].withinOrientation;
    this.sharedHeadDim = (c.sharedEncoder ?? MODE_DEFAULTS[c.mode].sharedEncoder) === "per-modality" ? c.sharedDim : 0;
    const S = this.sharedHeadDim;
    const sparsityScope = c.sparsityScope ?? MODE_DEFAULTS[c.mode].sparsityScope;
    if (this.sparsityForm === "path" && c.mode === "faithful") throw new UsageError("sparsity \"path\" needs the default mode's differentiable parent gate", "use mode \"default\" or sparsity \"l1\"");
    this.noiseRng = rng.fork(5);
    const codeWidth = this.variational ? 2 : 1; // [mean, log-variance] per code dim
    const encRng = rng.fork(1);
    const mlp = (widths: number[]) => new MLP(widths, encRng, { activation: c.activation, negativeSlope: 0.01, init: "xavier" });
    this.encoders = c.modalities.map((m, mi) => Array.from({ length: m.measurements }, (_, k) =>
      this.module(`encoder_${mi}_${k}`, mlp([m.inputDim, ...c.hidden, codeWidth * (S + m.latentDim + c.noiseDim)]))));
    this.decoders = c.modalities.map((m, mi) => Array.from({ length: m.measurements }, (_, k) =>
      this.module(`decoder_${mi}_${k}`, mlp([S + m.latentDim + c.noiseDim, ...[...c.hidden].reverse(), m.inputDim]))));
    if (c.sharedDim > 0 && S === 0) {
      const total = c.modalities.reduce((s, m) => s + m.inputDim * m.measurements, 0);
      const hidden = c.sharedHidden ?? c.hidden;
      this.sharedEncoder = this.module("shared_encoder", mlp([total, ...hidden, codeWidth * (c.sharedDim + c.noiseDim)]));
      this.sharedDecoder = this.module("shared_decoder", mlp([c.sharedDim + c.noiseDim, ...[...hidden].reverse(), total]));
    }

    // A: 0.5 + 1e-5·N(0, 1) off the diagonal, as the reference (torch.randn · 1e-5 + 0.5, diagonal 0).
    const aRng = rng.fork(2);
    const a = new Float32Array(L * L);
    for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) a[i * L + j] = i === j ? 0 : 0.5 + 1e-5 * aRng.normal();
    this.adjacencyParam = this.param("A", new Tensor(a, [L, L]));
    this.lowerMask = new Float32Array(L * L);
    this.sparsityMask = new Float32Array(L * L);
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < i; j++) {
        this.lowerMask[i * L + j] = 1;
        const modalityPair = owner[i] !== -1 && owner[j] !== -1;
        if (modalityPair && (owner[i] !== owner[j] || sparsityScope === "all")) this.sparsityMask[i * L + j] = 1;
      }
    }

    // Parent MLPs with PyTorch's default Linear init: U(±1/√2) for the 2-input layer, U(±1/√H) after.
    const pRng = rng.fork(3);
    const H = c.parentHidden;
    const uniform = (shape: number[], bound: number) => Tensor.uniform(shape, -bound, bound, pRng);
    this.parentZ = this.param("parent_in_z", uniform([H, L], Math.SQRT1_2));
    this.parentP = this.param("parent_in_p", uniform([H, L], Math.SQRT1_2));
    this.parentB = this.param("parent_in_b", uniform([H, L], Math.SQRT1_2));
    this.parentOutW = this.param("parent_out_w", uniform([H, L], 1 / Math.sqrt(H)));
    this.parentOutB = this.param("parent_out_b", uniform([1, L], 1 / Math.sqrt(H)));
    if (c.mode === "default" && c.parentTransformHidden > 0) {
      const T = c.parentTransformHidden;
      this.phi = {
        a: this.param("phi_a", uniform([T, L], 1)),
        c: this.param("phi_c", uniform([T, L], 1)),
        d: this.param("phi_d", uniform([T, L], 1 / Math.sqrt(T))),
      };
    }

    const fRng = rng.fork(4);
    const split = Math.ceil(L / 2); // torch.chunk(2) puts the larger half first
    this.flow = Array.from({ length: c.flowLayers }, (_, l) => this.module(`flow_${l}`, new Coupling(split, L, c.flowHidden, fRng)));
    this.reversal = Array.from({ length: L }, (_, i) => L - 1 - i);
  }

  /** Full forward pass with every loss term. */
  forward(batch: CrlBatch): CrlForward {
    const c = this.config;
    this.checkBatch(batch);
    const n = batch[0]![0]!.rows;
    const reconTerms: Tensor[] = [];
    const zParts: Tensor[] = [];
    const etas: Tensor[] = [];
    const entropyTerms: Tensor[] = [];

    if (this.sharedEncoder && this.sharedDecoder) {
      const all = concatCols(batch.flat());
      const code = this.sampleCode(this.sharedEncoder.forward(all), c.sharedDim + c.noiseDim, entropyTerms);
      zParts.push(cols(code, 0, c.sharedDim));
      // As the reference, η_s is decoded but not part of the NLL, except in variational mode, where its
      // entropy term needs its prior (else its variance would grow without bound).
      if (this.variational) etas.push(cols(code, c.sharedDim, c.sharedDim + c.noiseDim));
      reconTerms.push(this.sharedDecoder.mseLoss(code, all)); // = mse(decoder.forward(code), all), last layer fused
    }
    const consistencyTerms: Tensor[] = [];
    const modalityEtas: Array<{ modality: number; eta: Tensor }> = [];
    const S = this.sharedHeadDim;
    const sharedEstimates: Tensor[] = []; // ŝ_{m,k} of the per-modality shared heads
    c.modalities.forEach((m, mi) => {
      const zs: Tensor[] = [];
      batch[mi]!.forEach((x, k) => {
        // Code layout: [ŝ_{m,k} (S), z_{m,k}, η_{m,k}].
        const code = this.sampleCode(this.encoders[mi]![k]!.forward(x), S + m.latentDim + c.noiseDim, entropyTerms);
        if (S > 0) sharedEstimates.push(cols(code, 0, S));
        zs.push(cols(code, S, S + m.latentDim));
        const eta = cols(code, S + m.latentDim, S + m.latentDim + c.noiseDim);
        etas.push(eta);
        modalityEtas.push({ modality: mi, eta });
        reconTerms.push(this.decoders[mi]![k]!.mseLoss(code, x)); // = mse(decoder.forward(code), x), last layer fused
      });
      zParts.push(zs[0]!);
      if (zs.length > 1) {
        // Reference: (‖z₂ − z₃‖ + ‖z₂ − z₄‖)/2 with Frobenius norms over the batch; + tiny ε keeps sqrt
        // differentiable when the measurements agree exactly.
        const norms = zs.slice(1).map((zk) => (this.consistencyForm === "mse"
          ? mse(zk, zs[0]!)
          : sqrt(addScalar(sum(square(sub(zk, zs[0]!))), 1e-12))));
        consistencyTerms.push(scale(norms.reduce((s, t) => add(s, t)), 1 / norms.length));
      }
    });
    if (S > 0) {
      zParts.unshift(sharedEstimates[0]!);
    }
    if (sharedEstimates.length > 1) {
      // Every measurement's ŝ must agree with the first (the one z_all uses); same form as the measurement term.
      const first = sharedEstimates[0]!;
      const gaps = sharedEstimates.slice(1).map((sk) => (this.consistencyForm === "mse" ? mse(sk, first) : sqrt(addScalar(sum(square(sub(sk, first))), 1e-12))));
      consistencyTerms.push(scale(gaps.reduce((s, t) => add(s, t)), 1 / gaps.length));
    }
    const zAll = concatCols(zParts);
    const recon = reconTerms.reduce((s, t) => add(s, t));

    // mid_i = MLP_i([z_i, parents_i]): hidden unit h is relu(z·w_z[h] + p·w_p[h] + b[h]) per latent column.
    const parents = this.parentSummary(zAll);
    let mid: Tensor | undefined;
    for (let h = 0; h < this.config.parentHidden; h++) {
      const row = (t: Tensor) => slice(t, 0, h, h + 1);
      const fromParents = mul(parents, row(this.parentP));
      const pre = this.additiveNoise ? add(fromParents, row(this.parentB)) : add(add(mul(zAll, row(this.parentZ)), fromParents), row(this.parentB));
      const term = mul(relu(pre), row(this.parentOutW));
      mid = mid ? add(mid, term) : term;
    }
    mid = add(mid!, this.parentOutB);
    // Additive noise: ε-side input z_i − f_i(parents_i); the reference uses the MLP output itself.
    if (this.additiveNoise) mid = sub(zAll, mid);

    // RealNVP: faithful never permutes (the reference's defect); default reverses coordinates between layers.
    let eps = mid;
    let logDet: Tensor | undefined;
    this.flow.forEach((layer, l) => {
      if (c.mode === "default" && l > 0) eps = gatherColumns(eps, this.reversal);
      const { out, logScaleSum } = layer.forward(eps);
      eps = out;
      logDet = logDet ? add(logDet, logScaleSum) : logScaleSum;
    });

    // NLL of [ε̂, η] under N(0, I) minus the flow's log|det|, averaged over rows (reference flow_kl_divergence).
    const eta = concatCols(etas);
    const dims = this.nLatents + eta.cols;
    const quad = scale(add(sum(square(eps)), sum(square(eta))), 0.5 / n);
    const totalLogDet = logDet ?? Tensor.scalar(0);
    let nll = addScalar(sub(quad, scale(totalLogDet, 1 / n)), 0.5 * Math.log(2 * Math.PI) * dims);
    // ELBO: subtract the Gaussian encoder's entropy (per row; constants dropped).
    if (entropyTerms.length) nll = sub(nll, scale(entropyTerms.reduce((s, t) => add(s, t)), 1 / n));

    const sparsity = this.sparsityPenalty();
    const consistency = consistencyTerms.length ? consistencyTerms.reduce((s, t) => add(s, t)) : undefined;

    const inputGrams: InputGrams = new Map(); // shared by the two terms: the Gram is the same, its cost quadratic in rows
    const independence = this.independenceCoef > 0 ? this.independenceTerm(batch, zAll, modalityEtas, inputGrams) : undefined;
    const content = this.contentCoef > 0 ? this.contentTerm(batch, zAll, inputGrams) : undefined;

    let loss = add(scale(recon, c.reconCoef), scale(nll, c.klCoef * this.priorWeight));
    loss = add(loss, scale(sparsity, c.sparsityCoef));
    if (consistency) loss = add(loss, scale(consistency, c.consistencyCoef));
    if (independence) loss = add(loss, scale(independence, this.independenceCoef));
    if (content) loss = sub(loss, scale(content, this.contentCoef));
    if (this.residualIndependenceCoef > 0) loss = add(loss, scale(this.residualIndependence(zAll, mid), this.residualIndependenceCoef));
    return {
      loss,
      zAll,
      mid,
      epsilon: eps,
      recon: recon.item(),
      nll: nll.item(),
      sparsity: sparsity.item(),
      consistency: consistency?.item() ?? 0,
      independence: independence?.item() ?? 0,
    };
  }

  /** Σ over modality latents i of HSIC(ẑ_i, the other modalities' inputs) on the first `independenceRows` rows. */
  private contentTerm(batch: CrlBatch, zAll: Tensor, inputGrams: InputGrams): Tensor | undefined {
    const rows = Math.min(this.config.independenceRows, zAll.rows);
    const head = (t: Tensor) => (rows < t.rows ? slice(t, 0, 0, rows) : t);
    const z = head(zAll);
    const sharedDim = this.config.sharedDim;
    const givenShared = this.contentGivenShared && sharedDim > 0 ? cols(z, 0, sharedDim).detach() : undefined;
    let total: Tensor | undefined;
    this.config.modalities.forEach((_, mi) => {
      const target = othersInputGram(batch, rows, mi, inputGrams);
      if (!target) return;
      this.owner.forEach((o, i) => {
        if (o !== mi) return;
        const term = normalizedHsic(givenShared ? concatCols([cols(z, i, i + 1), givenShared]) : cols(z, i, i + 1), target);
        total = total ? add(total, term) : term;
      });
    });
    return total;
  }

  /** Σ_{i ≥ 1} HSIC(mid_i, ẑ_{<i}) on the first `independenceRows` rows (ẑ detached). */
  private residualIndependence(zAll: Tensor, mid: Tensor): Tensor {
    const rows = Math.min(this.config.independenceRows, zAll.rows);
    const head = (t: Tensor) => (rows < t.rows ? slice(t, 0, 0, rows) : t);
    const z = head(zAll.detach());
    const residuals = head(mid);
    let total: Tensor | undefined;
    for (let i = 1; i < this.nLatents; i++) {
      const term = normalizedHsic(cols(residuals, i, i + 1), constantCentredGram(cols(z, 0, i)));
      total = total ? add(total, term) : term;
    }
    return total!;
  }

  /**
   * Σ_{m,k} HSIC(η̂_{m,k}, target_m) on the first `independenceRows` rows: target_m is the other modalities'
   * inputs and/or every learned latent (detached, so the term moves η̂ and not what it is compared with).
   */
  private independenceTerm(batch: CrlBatch, zAll: Tensor, modalityEtas: Array<{ modality: number; eta: Tensor }>, inputGrams: InputGrams): Tensor | undefined {
    const rows = Math.min(this.config.independenceRows, zAll.rows);
    const head = (t: Tensor) => (rows < t.rows ? slice(t, 0, 0, rows) : t);
    const target = this.independenceTarget;
    const latentGram = target === "inputs" ? undefined : constantCentredGram(head(zAll.detach()));
    let total: Tensor | undefined;
    for (const { modality, eta } of modalityEtas) {
      const etaRows = head(eta);
      const terms: Tensor[] = [];
      const fromInputs = target === "latents" ? undefined : othersInputGram(batch, rows, modality, inputGrams);
      if (fromInputs) terms.push(normalizedHsic(etaRows, fromInputs));
      if (latentGram) terms.push(normalizedHsic(etaRows, latentGram));
      for (const t of terms) total = total ? add(total, t) : t;
    }
    return total;
  }

  /**
   * The code of one encoder output: deterministic as is; variational → mean + exp(logvar/2)·ξ with
   * ξ ~ N(0, I) from the model's seeded noise stream, recording the entropy Σ logvar/2 (for the ELBO).
   */
  private sampleCode(output: Tensor, width: number, entropyTerms: Tensor[]): Tensor {
    if (!this.variational) return output;
    const meanPart = cols(output, 0, width);
    // Offset so a fresh encoder starts with small posterior noise (σ ≈ e^-2) instead of σ ≈ 1, which
    // would drown the standardised inputs' signal during the first epochs.
    const logVar = addScalar(cols(output, width, 2 * width), LOG_VARIANCE_OFFSET);
    const xi = new Tensor(Float32Array.from(this.noiseRng.normals(meanPart.size)), meanPart.shape);
    entropyTerms.push(scale(sum(logVar), 0.5));
    return add(meanPart, mul(exp(scale(logVar, 0.5)), xi));
  }

  /** Replaces the stream the variational encoders draw their reparameterisation noise from. */
  setNoiseStream(rng: Rng): void {
    this.noiseRng = rng;
  }

  /** z_all for a batch, without building the autodiff graph. */
  encode(batch: CrlBatch): Tensor {
    return noGrad(() => {
      const c = this.config;
      this.checkBatch(batch);
      const parts: Tensor[] = [];
      const S = this.sharedHeadDim;
      if (this.sharedEncoder) parts.push(cols(this.sharedEncoder.forward(concatCols(batch.flat())), 0, c.sharedDim));
      c.modalities.forEach((m, mi) => {
        const out = this.encoders[mi]![0]!.forward(batch[mi]![0]!);
        if (S > 0 && mi === 0) parts.push(cols(out, 0, S));
        parts.push(cols(out, S, S + m.latentDim));
      });
      return concatCols(parts);
    });
  }

  /**
   * Loss terms without gradients (validation). In variational mode the reparameterisation noise comes
   * from a fixed stream, so successive evaluations are comparable (early stopping compares them).
   */
  evaluate(batch: CrlBatch): CrlLossTerms {
    const training = this.noiseRng;
    const weight = this.priorWeight;
    this.noiseRng = new Rng(EVALUATION_NOISE_SEED);
    this.priorWeight = 1; // validation losses stay comparable across a KL warm-up
    try {
      return noGrad(() => this.forward(batch));
    } finally {
      this.noiseRng = training;
      this.priorWeight = weight;
    }
  }

  /**
   * The learned latent graph: adjacency[j][i] = 1 when j → i, i.e. A_ij passes the threshold for j < i
   * (faithful: A_ij > threshold, the reference's mask; default: |A_ij| > threshold, since a negative
   * gate weight is an effect too).
   */
  learnedAdjacency(): number[][] {
    const L = this.nLatents;
    const a = this.config.mode === "faithful" ? this.adjacencyParam.data : this.edgeStrengths();
    const out = Array.from({ length: L }, () => new Array<number>(L).fill(0));
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < i; j++) {
        if (a[i * L + j]! > this.edgeThreshold) out[j]![i] = 1;
      }
    }
    return out;
  }

  /** A_ij for j < i as [parent][child] weights (0 elsewhere). */
  adjacencyWeights(): number[][] {
    const L = this.nLatents;
    const a = this.adjacencyParam.data;
    return Array.from({ length: L }, (_, j) => Array.from({ length: L }, (_, i) => (j < i ? a[i * L + j]! : 0)));
  }

  /**
   * The cross-modal sparsity term: Σ |A_ij| over cross-modal pairs ("l1"), or Σ |A_ij|·π_i with π_i the
   * path norm of f_i ("path"; see config.ts).
   */
  sparsityPenalty(): Tensor {
    const weights = mask(abs(this.adjacencyParam), this.sparsityMask);
    if (this.sparsityForm === "l1") return sum(weights);
    return sum(mul(weights, transpose(this.parentPathNorm()))); // row i (child) × π_i
  }

  /** π_i = Σ_h |w_in[h,i]|·|w_out[h,i]|, a Lipschitz bound of f_i in its parent summary (1 × L). */
  private parentPathNorm(): Tensor {
    return sum(mul(abs(this.parentP), abs(this.parentOutW)), 0, { keepDims: true });
  }

  /** Edge strengths (L × L, row = child): |A_ij|, or |A_ij|·π_i under the path-norm sparsity. */
  private edgeStrengths(): Float32Array {
    const L = this.nLatents;
    const a = this.adjacencyParam.data;
    if (this.sparsityForm === "l1") return a.map(Math.abs);
    const pi = noGrad(() => this.parentPathNorm()).data;
    return a.map((v, idx) => Math.abs(v) * pi[Math.floor(idx / L)]!); // row i = child i
  }

  private parentSummary(zAll: Tensor): Tensor {
    const L = this.nLatents;
    if (this.config.mode === "faithful") {
      // Reference EstimateE: parents of i = {j : (A ⊙ tril)_ij > threshold}, aggregated by their mean
      // (0 without parents). A constant matrix: no gradient reaches A through it.
      const w = new Float32Array(L * L); // w[j, i] = 1/count_i for each parent j of i
      const a = this.adjacencyParam.data;
      for (let i = 0; i < L; i++) {
        const parents: number[] = [];
        for (let j = 0; j < i; j++) if (a[i * L + j]! > this.edgeThreshold) parents.push(j);
        for (const j of parents) w[j * L + i] = 1 / parents.length;
      }
      return matmul(zAll, new Tensor(w, [L, L]));
    }
    // Differentiable gate: parents_i = Σ_{j<i} A_ij φ_j(z_j), i.e. φ(z_all) · (A ⊙ tril)ᵀ.
    let source = zAll;
    if (this.phi) {
      const phi = this.phi;
      for (let h = 0; h < phi.a.rows; h++) {
        const row = (t: Tensor) => slice(t, 0, h, h + 1);
        source = add(source, mul(relu(add(mul(zAll, row(phi.a)), row(phi.c))), row(phi.d)));
      }
    }
    if (this.sparsityForm === "path") {
      // Standardised over the batch (batch norm without affine): φ_j cannot grow to pass strength past A.
      const centred = sub(source, mean(source, 0, { keepDims: true }));
      source = div(centred, sqrt(addScalar(mean(square(centred), 0, { keepDims: true }), 1e-6)));
    }
    return matmul(source, transpose(mask(this.adjacencyParam, this.lowerMask)));
  }

  private checkBatch(batch: CrlBatch): void {
    const c = this.config;
    if (batch.length !== c.modalities.length) throw new UsageError(`batch has ${batch.length} modalities, the model ${c.modalities.length}`);
    c.modalities.forEach((m, mi) => {
      if (batch[mi]!.length !== m.measurements) throw new UsageError(`modality "${m.name}": batch has ${batch[mi]!.length} measurements, the model ${m.measurements}`);
      for (const x of batch[mi]!) if (x.cols !== m.inputDim) throw new UsageError(`modality "${m.name}": inputs have ${x.cols} columns, the model expects ${m.inputDim}`);
    });
  }
}

/** Centred Gram matrices of the other modalities' inputs, by modality, for one batch (undefined: no other modality). */
type InputGrams = Map<number, CentredGram | undefined>;

/** The centred Gram of the other modalities' first measurements on the batch's first `rows` rows, computed once per batch. */
function othersInputGram(batch: CrlBatch, rows: number, mi: number, cache: InputGrams): CentredGram | undefined {
  if (!cache.has(mi)) {
    const others = batch.filter((_, o) => o !== mi).map((measurements) => (rows < measurements[0]!.rows ? slice(measurements[0]!, 0, 0, rows) : measurements[0]!));
    cache.set(mi, others.length ? constantCentredGram(concatCols(others)) : undefined);
  }
  return cache.get(mi);
}

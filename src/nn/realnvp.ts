/**
 * RealNVP normalising flow (Dinh, Sohl-Dickstein & Bengio, "Density estimation using Real NVP", ICLR 2017)
 * built from affine coupling layers in the Glow form (Kingma & Dhariwal 2018, glow/model.py
 * `affine_coupling`): with a binary mask m (1 = conditioning coordinates, passed through),
 *   h = NN([m ⊙ x, context]);  shift, raw = split(h);  scale = sigmoid(raw + 2)
 *   y = m ⊙ x + (1 − m) ⊙ ((x + shift) ⊙ scale),   log|det ∂y/∂x| = Σ (1 − m) ⊙ log scale.
 * scale = sigmoid(raw + 2) is the PersonaX CRL flow's choice (DESIGN §1.3): scales stay in (0, 1) and
 * start near sigmoid(2) ≈ 0.88, which keeps early training stable. Masks alternate between layers; an
 * optional fixed permutation (reverse or seeded random) mixes coordinates between layers as well.
 */
import type { Rng } from "../util/rng.ts";
import { MLP } from "./mlp.ts";
import { Module } from "./module.ts";
import { Tensor, noGrad } from "./tensor.ts";
import { add, addScalar, concat, gatherColumns, logSigmoid, mask, mul, sigmoid, slice, sum, type Activation } from "./ops/index.ts";
import type { LinearInit } from "./linear.ts";

export interface CouplingOptions {
  /** Width of the conditioner's hidden layers. Default 16. */
  hidden?: number;
  /** Number of hidden layers in the conditioner. Default 2. */
  hiddenLayers?: number;
  /** Conditioner activation. Default "relu" (Glow's). */
  activation?: Activation;
  /** Extra conditioning input (e.g. parents' values) of this width, fed to every conditioner. Default 0. */
  contextDim?: number;
  /**
   * Initialisation of the conditioner's last layer. Default "zeros" (Glow's zero init: every coupling
   * starts as y = x·sigmoid(2) on the transformed coordinates); "torch" for a random start.
   */
  finalInit?: LinearInit;
}

export interface FlowOutput {
  /** The transformed values, same shape as the input. */
  output: Tensor;
  /** log|det J| per row, shape [rows]. */
  logDet: Tensor;
}

export class AffineCoupling extends Module {
  readonly net: MLP;
  readonly #pass: Float32Array;
  readonly #transform: Float32Array;
  readonly contextDim: number;

  /** `passMask[j] = 1` marks coordinate j as conditioning (left unchanged). */
  constructor(readonly dim: number, passMask: ArrayLike<number>, rng: Rng, options: CouplingOptions = {}) {
    super();
    if (passMask.length !== dim) throw new RangeError(`AffineCoupling: mask has ${passMask.length} entries, dim is ${dim}`);
    this.#pass = Float32Array.from(passMask, (v) => (v ? 1 : 0));
    this.#transform = this.#pass.map((v) => 1 - v);
    this.contextDim = options.contextDim ?? 0;
    const hidden = options.hidden ?? 16;
    const widths = [dim + this.contextDim, ...new Array<number>(options.hiddenLayers ?? 2).fill(hidden), 2 * dim];
    this.net = this.module("net", new MLP(widths, rng, { activation: options.activation ?? "relu", finalInit: options.finalInit ?? "zeros" }));
  }

  #shiftAndRaw(conditioning: Tensor, context: Tensor | undefined): [Tensor, Tensor] {
    if ((context?.cols ?? 0) !== this.contextDim) {
      throw new RangeError(`AffineCoupling: expects a context of width ${this.contextDim}, got ${context ? context.cols : "none"}`);
    }
    const h = this.net.forward(context ? concat([conditioning, context], 1) : conditioning);
    return [slice(h, 1, 0, this.dim), addScalar(slice(h, 1, this.dim, 2 * this.dim), 2)];
  }

  forward(x: Tensor, context?: Tensor): FlowOutput {
    const kept = mask(x, this.#pass, [this.dim]);
    const [shift, u] = this.#shiftAndRaw(kept, context);
    const moved = mul(add(x, shift), sigmoid(u));
    const output = add(kept, mask(moved, this.#transform, [this.dim]));
    const logDet = sum(mask(logSigmoid(u), this.#transform, [this.dim]), 1);
    return { output, logDet };
  }

  /** x from y = forward(x).output: x_b = y_b / scale − shift (the conditioning part is unchanged). */
  inverse(y: Tensor, context?: Tensor): Tensor {
    return noGrad(() => {
      const kept = mask(y, this.#pass, [this.dim]);
      const [shift, u] = this.#shiftAndRaw(kept, context);
      const s = sigmoid(u);
      const x = kept.data.slice();
      for (let i = 0; i < y.rows; i++) {
        for (let j = 0; j < this.dim; j++) {
          const k = i * this.dim + j;
          if (this.#transform[j]) x[k] = y.data[k]! / s.data[k]! - shift.data[k]!;
        }
      }
      return new Tensor(x, y.shape);
    });
  }
}

export interface RealNvpOptions extends CouplingOptions {
  /** Number of coupling layers. Default 5. */
  layers?: number;
  /** Fixed permutation applied between coupling layers. Default "none" (alternating masks only). */
  permutation?: "none" | "reverse" | "random";
}

export class RealNVP extends Module {
  readonly couplings: AffineCoupling[] = [];
  /** permutations[l]: column order applied after coupling l (absent after the last). */
  readonly permutations: number[][] = [];

  constructor(readonly dim: number, rng: Rng, readonly options: RealNvpOptions = {}) {
    super();
    const layers = options.layers ?? 5;
    const permutation = options.permutation ?? "none";
    if (!["none", "reverse", "random"].includes(permutation)) throw new RangeError(`RealNVP permutation must be none, reverse or random, got "${permutation}"`);
    for (let l = 0; l < layers; l++) {
      // Alternate which half (by parity) is transformed; with dim = 1 every other layer is the identity
      // unless a context is given.
      const passMask = Array.from({ length: dim }, (_, j) => (j + l) % 2);
      this.couplings.push(this.module(String(l), new AffineCoupling(dim, passMask, rng, options)));
      if (l + 1 < layers && permutation !== "none") {
        this.permutations.push(permutation === "reverse" ? Array.from({ length: dim }, (_, j) => dim - 1 - j) : rng.permutation(dim));
      }
    }
  }

  forward(x: Tensor, context?: Tensor): FlowOutput {
    let h = x;
    let logDet: Tensor | undefined;
    this.couplings.forEach((coupling, l) => {
      const step = coupling.forward(h, context);
      h = step.output;
      logDet = logDet ? add(logDet, step.logDet) : step.logDet;
      const perm = this.permutations[l];
      if (perm) h = gatherColumns(h, perm); // a permutation has |det| = 1
    });
    return { output: h, logDet: logDet ?? Tensor.zeros([x.rows]) };
  }

  /** The inverse map (no gradient), for sampling and checks. */
  inverse(y: Tensor, context?: Tensor): Tensor {
    let h = y;
    for (let l = this.couplings.length - 1; l >= 0; l--) {
      const perm = this.permutations[l];
      if (perm) {
        const undo = new Array<number>(perm.length);
        perm.forEach((p, j) => (undo[p] = j));
        h = noGrad(() => gatherColumns(h, undo));
      }
      h = this.couplings[l]!.inverse(h, context);
    }
    return h;
  }
}

/** Linear layer y = x·Wᵀ + b with torch.nn.Linear's layout (weight [out, in]) and initialisations. */
import type { Rng } from "../util/rng.ts";
import { Module } from "./module.ts";
import { Tensor } from "./tensor.ts";
import { linear, type Activation, type ActivationOptions } from "./ops/matmul.ts";

/**
 * - "torch": PyTorch's default (kaiming_uniform with a = √5: W, b ~ U(±1/√in)).
 * - "kaiming": He et al. 2015 uniform for ReLU-like layers: W ~ U(±√(6/in)), b = 0.
 * - "xavier": Glorot & Bengio 2010 uniform: W ~ U(±√(6/(in + out))), b = 0.
 * - "zeros": W = 0, b = 0 (e.g. the last layer of a flow's conditioner, so a coupling starts near identity).
 */
export type LinearInit = "torch" | "kaiming" | "xavier" | "zeros";

export interface LinearOptions {
  /** Default true. */
  bias?: boolean;
  /** Default "torch". */
  init?: LinearInit;
}

export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, rng: Rng, options: LinearOptions = {}) {
    super();
    const init = options.init ?? "torch";
    const shape = [outFeatures, inFeatures];
    let bias: Tensor | null = null;
    switch (init) {
      case "torch": {
        const bound = 1 / Math.sqrt(inFeatures);
        this.weight = Tensor.uniform(shape, -bound, bound, rng);
        if (options.bias !== false) bias = Tensor.uniform([outFeatures], -bound, bound, rng);
        break;
      }
      case "kaiming": {
        const bound = Math.sqrt(6 / inFeatures);
        this.weight = Tensor.uniform(shape, -bound, bound, rng);
        break;
      }
      case "xavier": {
        const bound = Math.sqrt(6 / (inFeatures + outFeatures));
        this.weight = Tensor.uniform(shape, -bound, bound, rng);
        break;
      }
      case "zeros":
        this.weight = Tensor.zeros(shape);
        break;
      default:
        throw new RangeError(`unknown Linear init "${String(init)}"; use torch, kaiming, xavier or zeros`);
    }
    if (options.bias !== false) bias ??= Tensor.zeros([outFeatures]);
    this.param("weight", this.weight);
    this.bias = bias ? this.param("bias", bias) : null;
  }

  /** act(x·Wᵀ + b), fused (see ops/matmul.ts linear). */
  forward(x: Tensor, activation: Activation = "none", options: ActivationOptions = {}): Tensor {
    return linear(x, this.weight, this.bias, activation, options);
  }
}

/** Multi-layer perceptron: Linear layers with an activation between them (none after the last by default). */
import type { Rng } from "../util/rng.ts";
import { Linear, type LinearInit } from "./linear.ts";
import { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";
import type { Activation, ActivationOptions } from "./ops/matmul.ts";
import { linearMse, mse } from "./ops/loss.ts";

export interface MlpOptions extends ActivationOptions {
  /** Between hidden layers. Default "relu". */
  activation?: Activation;
  /** After the last layer. Default "none". */
  finalActivation?: Activation;
  /** Initialisation of every layer (see Linear). Default "torch". */
  init?: LinearInit;
  /** Initialisation of the last layer only. Default: `init`. */
  finalInit?: LinearInit;
}

export class MLP extends Module {
  readonly layers: Linear[];

  /** `widths` = [in, hidden…, out], e.g. [1024, 512, 256, 128, 11]. Parameters are named "layers.<i>.weight"/"bias". */
  constructor(readonly widths: readonly number[], rng: Rng, readonly options: MlpOptions = {}) {
    super();
    if (widths.length < 2) throw new RangeError(`MLP needs at least [in, out] widths, got [${widths.join(", ")}]`);
    const layers = new Array<Linear>();
    for (let i = 0; i + 1 < widths.length; i++) {
      const last = i + 2 === widths.length;
      layers.push(new Linear(widths[i]!, widths[i + 1]!, rng, { init: last ? (options.finalInit ?? options.init) : options.init }));
    }
    const container = this.module("layers", new Sequence(layers));
    this.layers = container.items;
  }

  forward(x: Tensor): Tensor {
    const last = this.layers[this.layers.length - 1]!;
    return last.forward(this.forwardHidden(x), this.options.finalActivation ?? "none", this.options);
  }

  /** Every layer but the last: the input of the last layer (x itself for a single-layer MLP). */
  forwardHidden(x: Tensor): Tensor {
    let h = x;
    for (let i = 0; i + 1 < this.layers.length; i++) h = this.layers[i]!.forward(h, this.options.activation ?? "relu", this.options);
    return h;
  }

  /**
   * mse(forward(x), target), with the last layer and the loss fused into one op (linearMse) when there is no
   * final activation: the output is never materialised, and backward makes no element-wise pass over it.
   * Same value and gradients as the unfused form up to float rounding.
   */
  mseLoss(x: Tensor, target: Tensor): Tensor {
    if ((this.options.finalActivation ?? "none") !== "none") return mse(this.forward(x), target);
    const last = this.layers[this.layers.length - 1]!;
    return linearMse(this.forwardHidden(x), last.weight, last.bias, target);
  }
}

/** A list of modules registered under "0", "1", … (torch.nn.ModuleList's naming). */
export class Sequence<M extends Module> extends Module {
  constructor(readonly items: M[]) {
    super();
    items.forEach((m, i) => this.module(String(i), m));
  }
}

/**
 * Optimizers (tinygrad's shape: the base class owns zeroGrad/step, a subclass writes one update) and a
 * step learning-rate schedule.
 */
import { kernels } from "./backend.ts";
import type { Tensor } from "./tensor.ts";

export abstract class Optimizer {
  /** Current learning rate (schedulers change it). */
  lr: number;
  /** Number of step() calls so far. */
  steps = 0;

  constructor(readonly params: readonly Tensor[], lr: number) {
    if (!(lr > 0)) throw new RangeError(`learning rate must be positive, got ${lr}`);
    this.lr = lr;
  }

  zeroGrad(): void {
    for (const p of this.params) p.releaseGrad(); // keeps the buffers for the next backward
  }

  /** Applies one update to every parameter that has a gradient. */
  step(): void {
    this.steps++;
    this.params.forEach((p, i) => {
      if (p.grad) this.update(p, p.grad, i);
    });
  }

  /** Updates p.data in place from its gradient; `index` identifies the parameter's state slot. */
  protected abstract update(param: Tensor, grad: Float32Array, index: number): void;
}

export interface AdamOptions {
  /** Default 1e-3. */
  lr?: number;
  /** Default [0.9, 0.999]. */
  betas?: readonly [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** L2 penalty added to the gradient (torch.optim.Adam's weight_decay). Default 0. */
  weightDecay?: number;
}

/** Adam's resumable state: step count and per-parameter moment estimates. */
export interface AdamState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

/** Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), as torch.optim.Adam. */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly #m: Float32Array[];
  readonly #v: Float32Array[];

  constructor(params: readonly Tensor[], options: AdamOptions = {}) {
    super(params, options.lr ?? 1e-3);
    [this.beta1, this.beta2] = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    this.#m = params.map((p) => new Float32Array(p.size));
    this.#v = params.map((p) => new Float32Array(p.size));
  }

  /**
   * The optimizer's state (step count and copies of the first and second moment estimates, one array
   * per parameter, in `params` order), as torch.optim.Adam's state_dict: saving it with the parameters
   * lets a resumed run continue exactly where the saved one stopped.
   */
  stateDict(): AdamState {
    return { step: this.steps, m: this.#m.map((a) => a.slice()), v: this.#v.map((a) => a.slice()) };
  }

  /** Restores a `stateDict()` taken from an Adam over parameters of the same shapes. */
  loadStateDict(state: AdamState): void {
    if (!Number.isInteger(state.step) || state.step < 0) throw new RangeError(`Adam state: step must be a non-negative integer, got ${state.step}`);
    if (state.m.length !== this.#m.length || state.v.length !== this.#v.length) {
      throw new RangeError(`Adam state has ${state.m.length} moment arrays, this optimizer ${this.#m.length} parameters`);
    }
    this.#m.forEach((m, i) => {
      const sm = state.m[i]!;
      const sv = state.v[i]!;
      if (sm.length !== m.length || sv.length !== m.length) {
        throw new RangeError(`Adam state: parameter ${i} has ${m.length} values, the saved moments ${sm.length}/${sv.length}`);
      }
    });
    this.#m.forEach((m, i) => m.set(state.m[i]!));
    this.#v.forEach((v, i) => v.set(state.v[i]!));
    this.steps = state.step;
  }

  protected update(param: Tensor, grad: Float32Array, index: number): void {
    const t = this.steps;
    kernels().adam(param.data, grad, this.#m[index]!, this.#v[index]!, this.lr, this.beta1, this.beta2, this.eps,
      1 - this.beta1 ** t, 1 - this.beta2 ** t, this.weightDecay);
  }
}

/** torch.optim.lr_scheduler.StepLR: lr = initial · gamma^⌊epoch / stepSize⌋; call step() once per epoch. */
export class StepLR {
  readonly initialLr: number;
  epoch = 0;

  constructor(readonly optimizer: Optimizer, readonly stepSize: number, readonly gamma = 0.1) {
    if (!(Number.isInteger(stepSize) && stepSize > 0)) throw new RangeError(`StepLR stepSize must be a positive integer, got ${stepSize}`);
    this.initialLr = optimizer.lr;
  }

  step(): void {
    this.epoch++;
    this.optimizer.lr = this.initialLr * this.gamma ** Math.floor(this.epoch / this.stepSize);
  }
}

/**
 * Module: the PyTorch-like container. Parameters and sub-modules are registered explicitly by name
 * (`this.param("weight", …)`, `this.module("encoder", …)`), so parameters(), zeroGrad() and checkpoints
 * never guess; names compose with dots like PyTorch state-dict keys ("layers.0.weight").
 */
import { Tensor } from "./tensor.ts";

export abstract class Module {
  readonly #params = new Map<string, Tensor>();
  readonly #children = new Map<string, Module>();

  /** Registers a trainable tensor (marks it requiresGrad) and returns it. */
  protected param(name: string, tensor: Tensor): Tensor {
    if (this.#params.has(name) || this.#children.has(name)) throw new RangeError(`parameter name "${name}" already used`);
    tensor.requiresGrad = true;
    this.#params.set(name, tensor);
    return tensor;
  }

  /** Registers a sub-module and returns it. */
  protected module<M extends Module>(name: string, child: M): M {
    if (this.#params.has(name) || this.#children.has(name)) throw new RangeError(`sub-module name "${name}" already used`);
    this.#children.set(name, child);
    return child;
  }

  /** [dotted name, tensor] for every parameter, in registration order. */
  namedParameters(prefix = ""): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    for (const [name, t] of this.#params) out.push([prefix + name, t]);
    for (const [name, child] of this.#children) out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Total number of trainable values. */
  parameterCount(): number {
    return this.parameters().reduce((s, t) => s + t.size, 0);
  }

  /** Clears every parameter's gradient (grad = null, as torch's zero_grad(set_to_none=True)); the buffers are kept for the next backward to overwrite. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.releaseGrad(); // keeps the buffers for the next backward
  }

  /** Name → tensor, the input of saveCheckpoint. */
  stateDict(): Record<string, Tensor> {
    return Object.fromEntries(this.namedParameters());
  }

  /**
   * Copies values into the parameters by name. Every parameter must be present with the same shape
   * (`strict`, default); extra entries are an error too unless strict is false.
   */
  loadStateDict(state: Record<string, { shape: readonly number[]; data: ArrayLike<number> }>, strict = true, source = "state dict"): void {
    const own = new Map(this.namedParameters());
    for (const [name, t] of own) {
      const entry = state[name];
      if (!entry) {
        if (strict) throw new RangeError(`${source}: missing parameter "${name}" [${t.shape.join(", ")}]`);
        continue;
      }
      if (entry.shape.length !== t.shape.length || entry.shape.some((d, i) => d !== t.shape[i])) {
        throw new RangeError(`${source}: parameter "${name}" has shape [${entry.shape.join(", ")}], the model expects [${t.shape.join(", ")}]`);
      }
      t.data.set(entry.data);
    }
    if (strict) {
      const extra = Object.keys(state).filter((k) => !own.has(k));
      if (extra.length) throw new RangeError(`${source}: unexpected parameters ${extra.slice(0, 5).map((k) => `"${k}"`).join(", ")}`);
    }
  }
}

/**
 * A float32 tensor with reverse-mode autodiff, micrograd style: every op (src/nn/ops/) creates its output
 * with `Tensor.result(...)` and, next to the forward formula, installs `out.backwardFn`, a closure that
 * ADDS the local gradient into its inputs' `grad` (so a tensor used twice gets both contributions).
 * `loss.backward()` walks the graph in reverse topological order and nothing else.
 *
 * Storage is row-major Float32Array; arithmetic inside ops is done in float64 where JavaScript does it
 * anyway. Intermediate gradients are released once propagated (like PyTorch's non-retained grads), so
 * only leaves (parameters, inputs marked requiresGrad) keep `grad` after backward().
 */
import type { Rng } from "../util/rng.ts";

let gradEnabled = true;

/**
 * Recycled gradient buffers of intermediates, by length. backward() frees each intermediate's gradient as
 * soon as it has been propagated, and the next step needs buffers of the same sizes again; reusing them
 * saves a fresh (page-faulting) allocation per node per step. Capped, and emptied by releaseGradientPool().
 */
const gradientPool = new Map<number, Float32Array[]>();
let pooledBytes = 0;
const POOL_LIMIT_BYTES = 1 << 30;
const POOL_MIN_LENGTH = 4096; // small buffers are cheap to allocate; pooling them only costs bookkeeping

/** A buffer of `length` floats: recycled (contents undefined unless `zeroed`) or new (zeros). */
function takeBuffer(length: number, zeroed: boolean): Float32Array {
  const stack = length >= POOL_MIN_LENGTH ? gradientPool.get(length) : undefined;
  const buffer = stack?.pop();
  if (!buffer) return new Float32Array(length);
  pooledBytes -= buffer.byteLength;
  return zeroed ? buffer.fill(0) : buffer;
}

function recycleBuffer(buffer: Float32Array): void {
  if (buffer.length < POOL_MIN_LENGTH || pooledBytes + buffer.byteLength > POOL_LIMIT_BYTES) return;
  let stack = gradientPool.get(buffer.length);
  if (!stack) gradientPool.set(buffer.length, (stack = []));
  stack.push(buffer);
  pooledBytes += buffer.byteLength;
}

/** Drops the recycled gradient buffers (call after training to return their memory). */
export function releaseGradientPool(): void {
  gradientPool.clear();
  pooledBytes = 0;
}

const arenaOf = new WeakMap<Float32Array, StepArena>();
let activeArena: StepArena | undefined;

/**
 * Storage for an op's output. Inside `StepArena.step` it is a recycled buffer with stale contents (every
 * op writes all of its output), otherwise a new zeroed array.
 */
export function outputBuffer(size: number): Float32Array {
  return activeArena ? activeArena.take(size) : new Float32Array(size);
}

/**
 * Reuses op-output memory from one training step to the next, as PyTorch's caching allocator does.
 * Each fresh large Float32Array costs page faults on first touch (hundreds of ms per step for the
 * CelebPersona-sized model); inside `arena.step(fn)` ops take their outputs from the buffers of the
 * previous step instead. The price: every tensor an op created during the previous step of this arena
 * EXPIRES when the next step starts (reading its `data` throws). Read what you need (loss.item(),
 * toArray()) before the next step. Parameters, optimizer state and tensors you construct yourself are
 * never recycled.
 */
export class StepArena {
  readonly #free = new Map<number, Float32Array[]>();
  #lent: Float32Array[] = [];
  #tensors: Tensor[] = [];

  /** Runs one step with this arena active; first expires the tensors of the previous step and recycles their storage. */
  step<T>(fn: () => T): T {
    this.recycle();
    const previous = activeArena;
    activeArena = this;
    try {
      return fn();
    } finally {
      activeArena = previous;
    }
  }

  /** Expires the tensors created in the last step and makes their storage available again. */
  recycle(): void {
    for (const t of this.#tensors) t.expire();
    for (const buffer of this.#lent) {
      let stack = this.#free.get(buffer.length);
      if (!stack) this.#free.set(buffer.length, (stack = []));
      stack.push(buffer);
    }
    this.#lent = [];
    this.#tensors = [];
  }

  /** Expires the last step's tensors and drops all retained memory. */
  release(): void {
    this.recycle();
    this.#free.clear();
  }

  take(size: number): Float32Array {
    const buffer = this.#free.get(size)?.pop() ?? new Float32Array(size);
    this.#lent.push(buffer);
    arenaOf.set(buffer, this);
    return buffer;
  }

  track(tensor: Tensor): void {
    this.#tensors.push(tensor);
  }
}

/** Runs `fn` without recording the graph (evaluation, parameter updates), like torch.no_grad(). */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`invalid tensor shape [${shape.join(", ")}]`);
    n *= d;
  }
  return n;
}

export class Tensor {
  readonly shape: readonly number[];
  readonly size: number;
  #data: Float32Array | null;
  /** d(loss)/d(this), allocated on first use; null until then. */
  grad: Float32Array | null = null;
  requiresGrad: boolean;
  /** Inputs this tensor was computed from (empty for leaves and when no gradient is needed). */
  parents: readonly Tensor[] = [];
  /** Name of the op that produced it ("leaf" for inputs and parameters). */
  op = "leaf";
  /** Propagates this.grad into the parents' grads (set by the op). */
  backwardFn: (() => void) | null = null;
  /** A leaf's gradient buffer set aside by releaseGrad(), reused by the next backward (no fresh page-faulting allocation per step). */
  #spareGrad: Float32Array | null = null;

  constructor(data: Float32Array, shape: readonly number[], requiresGrad = false) {
    const size = sizeOf(shape);
    if (data.length !== size) throw new RangeError(`tensor of shape [${shape.join(", ")}] needs ${size} values, got ${data.length}`);
    this.#data = data;
    this.shape = [...shape];
    this.size = size;
    this.requiresGrad = requiresGrad;
    arenaOf.get(data)?.track(this); // storage lent by a StepArena: expire together with it
  }

  /** Values, row-major. Treat as read-only outside ops and optimizers. */
  get data(): Float32Array {
    if (this.#data === null) {
      throw new RangeError(`this ${this.op} tensor [${this.shape.join(", ")}] was created in an earlier StepArena step and its storage has been reused; ` +
        "copy the values you need (toArray(), item()) before the next step");
    }
    return this.#data;
  }
  set data(values: Float32Array) {
    if (values.length !== this.size) throw new RangeError(`tensor of shape [${this.shape.join(", ")}] needs ${this.size} values, got ${values.length}`);
    this.#data = values;
  }

  /** Called by StepArena: the storage now belongs to another tensor. */
  expire(): void {
    this.#data = null;
    this.grad = null;
    this.parents = [];
    this.backwardFn = null;
  }

  // ---- construction ----

  /** A tensor holding a copy of `values` (nested arrays are not accepted: pass flat values and a shape). */
  static from(values: ArrayLike<number>, shape: readonly number[] = [values.length], requiresGrad = false): Tensor {
    return new Tensor(Float32Array.from(values), shape, requiresGrad);
  }
  static zeros(shape: readonly number[], requiresGrad = false): Tensor {
    return new Tensor(new Float32Array(sizeOf(shape)), shape, requiresGrad);
  }
  static full(shape: readonly number[], value: number, requiresGrad = false): Tensor {
    return new Tensor(new Float32Array(sizeOf(shape)).fill(value), shape, requiresGrad);
  }
  static scalar(value: number, requiresGrad = false): Tensor {
    return new Tensor(Float32Array.of(value), [], requiresGrad);
  }
  /** Uniform on [low, high) from a seeded Rng. */
  static uniform(shape: readonly number[], low: number, high: number, rng: Rng, requiresGrad = false): Tensor {
    const t = Tensor.zeros(shape, requiresGrad);
    for (let i = 0; i < t.size; i++) t.data[i] = rng.uniformIn(low, high);
    return t;
  }
  /** Normal(mean, std²) from a seeded Rng. */
  static normal(shape: readonly number[], mean: number, std: number, rng: Rng, requiresGrad = false): Tensor {
    const t = Tensor.zeros(shape, requiresGrad);
    for (let i = 0; i < t.size; i++) t.data[i] = mean + std * rng.normal();
    return t;
  }

  /**
   * The output of an op: records `parents` and marks the result as needing a gradient when any parent
   * does (and grad mode is on). Ops set `backwardFn` only when `out.requiresGrad`.
   */
  static result(data: Float32Array, shape: readonly number[], parents: readonly Tensor[], op: string): Tensor {
    const out = new Tensor(data, shape, false);
    out.op = op;
    if (gradEnabled && parents.some((p) => p.requiresGrad)) {
      out.requiresGrad = true;
      out.parents = parents;
    }
    return out;
  }

  // ---- accessors ----

  get rank(): number {
    return this.shape.length;
  }
  /** First dimension of a 2-D tensor. */
  get rows(): number {
    if (this.shape.length !== 2) throw new RangeError(`rows: expected a 2-D tensor, got shape [${this.shape.join(", ")}]`);
    return this.shape[0]!;
  }
  /** Second dimension of a 2-D tensor. */
  get cols(): number {
    if (this.shape.length !== 2) throw new RangeError(`cols: expected a 2-D tensor, got shape [${this.shape.join(", ")}]`);
    return this.shape[1]!;
  }
  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item(): tensor has ${this.size} values, shape [${this.shape.join(", ")}]`);
    return this.data[0]!;
  }
  toArray(): number[] {
    return Array.from(this.data);
  }
  /** The gradient buffer, allocated (zeros) on first use; ops accumulate into it. */
  gradBuffer(): Float32Array {
    return (this.grad ??= this.parents.length > 0 ? takeBuffer(this.size, true) : this.#leafBuffer(true));
  }
  /**
   * For kernels that can either overwrite or accumulate (GEMM's beta): the gradient buffer and the beta
   * to use, 0 when the buffer was just created (its contents may be stale and must be overwritten), 1
   * when it already holds gradient to add to. Saves zeroing a buffer only to add into it.
   */
  gradSlot(): [Float32Array, 0 | 1] {
    if (this.grad) return [this.grad, 1];
    this.grad = this.parents.length > 0 ? takeBuffer(this.size, false) : this.#leafBuffer(false);
    return [this.grad, 0];
  }
  /**
   * Clears the gradient (what optimizer.zeroGrad() calls) but keeps its buffer for the next backward, which
   * overwrites it: copy a gradient you want to keep across zeroGrad(). Setting `grad = null` drops it instead.
   */
  releaseGrad(): void {
    if (this.grad && this.grad.length === this.size) this.#spareGrad = this.grad;
    this.grad = null;
  }
  #leafBuffer(zeroed: boolean): Float32Array {
    const spare = this.#spareGrad;
    if (!spare) return new Float32Array(this.size);
    this.#spareGrad = null;
    return zeroed ? spare.fill(0) : spare;
  }
  /** Adds g element-wise into the gradient. */
  addGrad(g: Float32Array): void {
    const buffer = this.gradBuffer();
    for (let i = 0; i < buffer.length; i++) buffer[i]! += g[i]!;
  }
  /** A leaf sharing this tensor's data, cut from the graph (stop-gradient), like torch's detach(). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false);
  }
  /** A copy of the values as a new leaf. */
  clone(requiresGrad = false): Tensor {
    return new Tensor(this.data.slice(), this.shape, requiresGrad);
  }

  // ---- autodiff ----

  /**
   * Accumulates d(this)/d(leaf) into every leaf that requires a gradient. `this` must be a scalar unless
   * `seed` (the upstream gradient, same size) is given.
   */
  backward(seed?: Float32Array): void {
    if (!this.requiresGrad) throw new RangeError("backward(): this tensor does not depend on anything that requires a gradient");
    if (this.op !== "leaf" && this.parents.length === 0) {
      throw new RangeError("backward(): the graph behind this tensor was freed by an earlier backward() (as in PyTorch); recompute the loss");
    }
    if (!seed && this.size !== 1) throw new RangeError(`backward(): needs a scalar, got shape [${this.shape.join(", ")}]; pass a seed gradient`);
    const order = topologicalOrder(this);
    const g = this.gradBuffer();
    if (seed) for (let i = 0; i < g.length; i++) g[i]! += seed[i]!;
    else g[0]! += 1;
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i]!;
      if (node.backwardFn && node.grad) node.backwardFn();
      if (node.parents.length > 0) {
        // An intermediate: its gradient has been passed on; recycle it and free the graph behind it.
        if (node.grad) recycleBuffer(node.grad);
        node.grad = null;
        node.backwardFn = null;
        node.parents = [];
      }
    }
  }
}

/** Depth-first post-order (iterative, so deep graphs cannot overflow the stack). */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: Array<[Tensor, number]> = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, next] = top;
    if (next < node.parents.length) {
      top[1]++;
      const parent = node.parents[next]!;
      if (parent.requiresGrad && !visited.has(parent)) {
        visited.add(parent);
        stack.push([parent, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order;
}

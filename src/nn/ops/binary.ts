/**
 * Element-wise binary ops with NumPy broadcasting: add, sub, mul, div. Backward sums the gradient over
 * broadcast dimensions (through the same index map as forward). A plain number is a constant.
 *
 * Each op spells out its own loops (same-shape fast path, and an index-mapped path for broadcasting), so
 * V8 compiles the arithmetic inline instead of calling a per-element closure.
 */
import { Tensor, outputBuffer } from "../tensor.ts";
import { broadcastIndex, broadcastShape, sameShape } from "./broadcast.ts";

export type Operand = Tensor | number;
type Map = Int32Array | null;

const asTensor = (x: Operand): Tensor => (typeof x === "number" ? Tensor.scalar(x) : x);

interface BinaryKernel {
  /** out[i] = f(a[ia[i]], b[ib[i]]) (identity index when the map is null). */
  forward(a: Float32Array, b: Float32Array, out: Float32Array, n: number, ia: Map, ib: Map): void;
  /** ga[ia[i]] += g[i] · ∂f/∂a. */
  gradA(g: Float32Array, a: Float32Array, b: Float32Array, ga: Float32Array, n: number, ia: Map, ib: Map): void;
  /** gb[ib[i]] += g[i] · ∂f/∂b. */
  gradB(g: Float32Array, a: Float32Array, b: Float32Array, gb: Float32Array, n: number, ia: Map, ib: Map): void;
}

function binary(name: string, kernel: BinaryKernel, x: Operand, y: Operand): Tensor {
  const a = asTensor(x), b = asTensor(y);
  const shape = sameShape(a.shape, b.shape) ? [...a.shape] : broadcastShape(a.shape, b.shape, name);
  const size = shape.reduce((p, d) => p * d, 1);
  const ia = sameShape(shape, a.shape) ? null : broadcastIndex(shape, a.shape);
  const ib = sameShape(shape, b.shape) ? null : broadcastIndex(shape, b.shape);
  const ad = a.data, bd = b.data;
  const data = outputBuffer(size);
  kernel.forward(ad, bd, data, size, ia, ib);
  const out = Tensor.result(data, shape, [a, b], name);
  if (out.requiresGrad) {
    out.backwardFn = () => {
      if (a.requiresGrad) kernel.gradA(out.grad!, ad, bd, a.gradBuffer(), size, ia, ib);
      if (b.requiresGrad) kernel.gradB(out.grad!, ad, bd, b.gradBuffer(), size, ia, ib);
    };
  }
  return out;
}

// d(a + b) = da + db
const ADD: BinaryKernel = {
  forward(a, b, out, n, ia, ib) {
    if (!ia && !ib) for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
    else for (let i = 0; i < n; i++) out[i] = a[ia ? ia[i]! : i]! + b[ib ? ib[i]! : i]!;
  },
  gradA(g, _a, _b, ga, n, ia) {
    if (!ia) for (let i = 0; i < n; i++) ga[i]! += g[i]!;
    else for (let i = 0; i < n; i++) ga[ia[i]!]! += g[i]!;
  },
  gradB(g, _a, _b, gb, n, _ia, ib) {
    if (!ib) for (let i = 0; i < n; i++) gb[i]! += g[i]!;
    else for (let i = 0; i < n; i++) gb[ib[i]!]! += g[i]!;
  },
};

// d(a − b) = da − db
const SUB: BinaryKernel = {
  forward(a, b, out, n, ia, ib) {
    if (!ia && !ib) for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
    else for (let i = 0; i < n; i++) out[i] = a[ia ? ia[i]! : i]! - b[ib ? ib[i]! : i]!;
  },
  gradA: ADD.gradA,
  gradB(g, _a, _b, gb, n, _ia, ib) {
    if (!ib) for (let i = 0; i < n; i++) gb[i]! -= g[i]!;
    else for (let i = 0; i < n; i++) gb[ib[i]!]! -= g[i]!;
  },
};

// d(a · b) = b·da + a·db
const MUL: BinaryKernel = {
  forward(a, b, out, n, ia, ib) {
    if (!ia && !ib) for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
    else for (let i = 0; i < n; i++) out[i] = a[ia ? ia[i]! : i]! * b[ib ? ib[i]! : i]!;
  },
  gradA(g, _a, b, ga, n, ia, ib) {
    if (!ia && !ib) for (let i = 0; i < n; i++) ga[i]! += g[i]! * b[i]!;
    else for (let i = 0; i < n; i++) ga[ia ? ia[i]! : i]! += g[i]! * b[ib ? ib[i]! : i]!;
  },
  gradB(g, a, _b, gb, n, ia, ib) {
    if (!ia && !ib) for (let i = 0; i < n; i++) gb[i]! += g[i]! * a[i]!;
    else for (let i = 0; i < n; i++) gb[ib ? ib[i]! : i]! += g[i]! * a[ia ? ia[i]! : i]!;
  },
};

// d(a / b) = da/b − a·db/b²
const DIV: BinaryKernel = {
  forward(a, b, out, n, ia, ib) {
    if (!ia && !ib) for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!;
    else for (let i = 0; i < n; i++) out[i] = a[ia ? ia[i]! : i]! / b[ib ? ib[i]! : i]!;
  },
  gradA(g, _a, b, ga, n, ia, ib) {
    if (!ia && !ib) for (let i = 0; i < n; i++) ga[i]! += g[i]! / b[i]!;
    else for (let i = 0; i < n; i++) ga[ia ? ia[i]! : i]! += g[i]! / b[ib ? ib[i]! : i]!;
  },
  gradB(g, a, b, gb, n, ia, ib) {
    for (let i = 0; i < n; i++) {
      const bi = b[ib ? ib[i]! : i]!;
      gb[ib ? ib[i]! : i]! -= (g[i]! * a[ia ? ia[i]! : i]!) / (bi * bi);
    }
  },
};

/** a + b (broadcasting). d/da = 1, d/db = 1. */
export const add = (a: Operand, b: Operand): Tensor => binary("add", ADD, a, b);
/** a − b (broadcasting). d/da = 1, d/db = −1. */
export const sub = (a: Operand, b: Operand): Tensor => binary("sub", SUB, a, b);
/** a · b (broadcasting). d/da = b, d/db = a. */
export const mul = (a: Operand, b: Operand): Tensor => binary("mul", MUL, a, b);
/** a / b (broadcasting). d/da = 1/b, d/db = −a/b². */
export const div = (a: Operand, b: Operand): Tensor => binary("div", DIV, a, b);

/**
 * x · mask with a constant mask (no gradient flows into the mask): zeroes masked entries in the forward
 * pass and their gradients in the backward pass. `mask` broadcasts like `mul`.
 */
export function mask(x: Tensor, maskValues: Tensor | Float32Array, shape?: readonly number[]): Tensor {
  const m = maskValues instanceof Tensor ? maskValues.detach() : new Tensor(maskValues, shape ?? x.shape);
  const out = binary("mask", MUL, x, m);
  return out;
}

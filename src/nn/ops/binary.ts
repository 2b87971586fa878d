/**
 * Element-wise binary ops with NumPy broadcasting: add, sub, mul, div. Backward sums the gradient over
 * broadcast dimensions (through the same index map as forward). A plain number is a constant.
 */
import { Tensor, outputBuffer } from "../tensor.ts";
import { broadcastIndex, broadcastShape, sameShape } from "./broadcast.ts";

export type Operand = Tensor | number;

const asTensor = (x: Operand): Tensor => (typeof x === "number" ? Tensor.scalar(x) : x);

interface BinaryRule {
  name: string;
  forward(a: number, b: number): number;
  /** ∂out/∂a and ∂out/∂b at (a, b). */
  gradA(a: number, b: number): number;
  gradB(a: number, b: number): number;
}

function binary(rule: BinaryRule, x: Operand, y: Operand): Tensor {
  const a = asTensor(x), b = asTensor(y);
  const shape = sameShape(a.shape, b.shape) ? [...a.shape] : broadcastShape(a.shape, b.shape, rule.name);
  const size = shape.reduce((p, d) => p * d, 1);
  const ia = sameShape(shape, a.shape) ? null : broadcastIndex(shape, a.shape);
  const ib = sameShape(shape, b.shape) ? null : broadcastIndex(shape, b.shape);
  const ad = a.data, bd = b.data;
  const data = outputBuffer(size);
  for (let i = 0; i < size; i++) data[i] = rule.forward(ad[ia ? ia[i]! : i]!, bd[ib ? ib[i]! : i]!);
  const out = Tensor.result(data, shape, [a, b], rule.name);
  if (out.requiresGrad) {
    out.backwardFn = () => {
      const g = out.grad!;
      if (a.requiresGrad) {
        const ga = a.gradBuffer();
        for (let i = 0; i < size; i++) {
          const j = ia ? ia[i]! : i;
          ga[j]! += g[i]! * rule.gradA(ad[j]!, bd[ib ? ib[i]! : i]!);
        }
      }
      if (b.requiresGrad) {
        const gb = b.gradBuffer();
        for (let i = 0; i < size; i++) {
          const j = ib ? ib[i]! : i;
          gb[j]! += g[i]! * rule.gradB(ad[ia ? ia[i]! : i]!, bd[j]!);
        }
      }
    };
  }
  return out;
}

const ADD: BinaryRule = { name: "add", forward: (a, b) => a + b, gradA: () => 1, gradB: () => 1 };
const SUB: BinaryRule = { name: "sub", forward: (a, b) => a - b, gradA: () => 1, gradB: () => -1 };
const MUL: BinaryRule = { name: "mul", forward: (a, b) => a * b, gradA: (_a, b) => b, gradB: (a) => a };
const DIV: BinaryRule = { name: "div", forward: (a, b) => a / b, gradA: (_a, b) => 1 / b, gradB: (a, b) => -a / (b * b) };

/** a + b (broadcasting). d/da = 1, d/db = 1. */
export const add = (a: Operand, b: Operand): Tensor => binary(ADD, a, b);
/** a − b (broadcasting). d/da = 1, d/db = −1. */
export const sub = (a: Operand, b: Operand): Tensor => binary(SUB, a, b);
/** a · b (broadcasting). d/da = b, d/db = a. */
export const mul = (a: Operand, b: Operand): Tensor => binary(MUL, a, b);
/** a / b (broadcasting). d/da = 1/b, d/db = −a/b². */
export const div = (a: Operand, b: Operand): Tensor => binary(DIV, a, b);

/**
 * x · mask with a constant mask (no gradient flows into the mask): zeroes masked entries in the forward
 * pass and their gradients in the backward pass. `mask` broadcasts like `mul`.
 */
export function mask(x: Tensor, maskValues: Tensor | Float32Array, shape?: readonly number[]): Tensor {
  const m = maskValues instanceof Tensor ? maskValues.detach() : new Tensor(maskValues, shape ?? x.shape);
  const out = binary(MUL, x, m);
  out.op = "mask";
  return out;
}

/**
 * Element-wise unary ops. Each rule gives the forward value and the derivative (from the input x and, when
 * cheaper, the output y) side by side.
 */
import { Tensor, outputBuffer } from "../tensor.ts";

interface UnaryRule {
  name: string;
  forward(x: number): number;
  /** dy/dx, given x and y = forward(x). */
  grad(x: number, y: number): number;
}

function unary(rule: UnaryRule, x: Tensor): Tensor {
  const xd = x.data;
  const data = outputBuffer(x.size);
  for (let i = 0; i < data.length; i++) data[i] = rule.forward(xd[i]!);
  const out = Tensor.result(data, x.shape, [x], rule.name);
  if (out.requiresGrad) {
    out.backwardFn = () => {
      const g = out.grad!, gx = x.gradBuffer();
      for (let i = 0; i < gx.length; i++) gx[i]! += g[i]! * rule.grad(xd[i]!, data[i]!);
    };
  }
  return out;
}

const sigmoidOf = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
// PyTorch's softplus threshold: above it, log(1 + eˣ) equals x in float32.
const SOFTPLUS_THRESHOLD = 20;

/** eˣ; d/dx = eˣ = y. */
export const exp = (x: Tensor) => unary({ name: "exp", forward: Math.exp, grad: (_x, y) => y }, x);
/** ln x; d/dx = 1/x. */
export const log = (x: Tensor) => unary({ name: "log", forward: Math.log, grad: (v) => 1 / v }, x);
/** 1/(1 + e⁻ˣ), evaluated without overflow; d/dx = y(1 − y). */
export const sigmoid = (x: Tensor) => unary({ name: "sigmoid", forward: sigmoidOf, grad: (_x, y) => y * (1 - y) }, x);
/** tanh x; d/dx = 1 − y². */
export const tanh = (x: Tensor) => unary({ name: "tanh", forward: Math.tanh, grad: (_x, y) => 1 - y * y }, x);
/** max(x, 0); d/dx = [x > 0]. */
export const relu = (x: Tensor) => unary({ name: "relu", forward: (v) => (v > 0 ? v : 0), grad: (v) => (v > 0 ? 1 : 0) }, x);
/** x if x > 0 else slope·x (PyTorch's default slope 0.01); d/dx = 1 or slope. */
export const leakyRelu = (x: Tensor, slope = 0.01) =>
  unary({ name: "leaky_relu", forward: (v) => (v > 0 ? v : slope * v), grad: (v) => (v > 0 ? 1 : slope) }, x);
/** x if x > 0 else α(eˣ − 1); d/dx = 1 or y + α. */
export const elu = (x: Tensor, alpha = 1) =>
  unary({ name: "elu", forward: (v) => (v > 0 ? v : alpha * Math.expm1(v)), grad: (v, y) => (v > 0 ? 1 : y + alpha) }, x);
/** ln(1 + eˣ) (x itself above 20, as PyTorch); d/dx = sigmoid(x). */
export const softplus = (x: Tensor) =>
  unary({ name: "softplus", forward: (v) => (v > SOFTPLUS_THRESHOLD ? v : Math.log1p(Math.exp(v))), grad: (v) => sigmoidOf(v) }, x);
/** x²; d/dx = 2x. */
export const square = (x: Tensor) => unary({ name: "square", forward: (v) => v * v, grad: (v) => 2 * v }, x);
/** √x; d/dx = 1/(2y). */
export const sqrt = (x: Tensor) => unary({ name: "sqrt", forward: Math.sqrt, grad: (_x, y) => 0.5 / y }, x);
/** |x|; d/dx = sign(x) (0 at 0, as PyTorch). */
export const abs = (x: Tensor) => unary({ name: "abs", forward: Math.abs, grad: (v) => Math.sign(v) }, x);
/** −x. */
export const neg = (x: Tensor) => unary({ name: "neg", forward: (v) => -v, grad: () => -1 }, x);
/** c·x for a constant c. */
export const scale = (x: Tensor, c: number) => unary({ name: "scale", forward: (v) => c * v, grad: () => c }, x);
/** x + c for a constant c. */
export const addScalar = (x: Tensor, c: number) => unary({ name: "add_scalar", forward: (v) => v + c, grad: () => 1 }, x);
/** ln sigmoid(x) = −softplus(−x), stable for large |x|; d/dx = 1 − sigmoid(x). */
export const logSigmoid = (x: Tensor) =>
  unary({ name: "log_sigmoid", forward: (v) => (v < -SOFTPLUS_THRESHOLD ? v : -Math.log1p(Math.exp(-v))), grad: (v) => 1 - sigmoidOf(v) }, x);

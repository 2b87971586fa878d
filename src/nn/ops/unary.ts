/**
 * Element-wise unary ops. Each op gives its forward loop and its backward loop side by side (the
 * derivative from the input x or, when cheaper, the output y); writing the loops per op lets V8 inline the
 * arithmetic instead of calling a closure per element.
 */
import { Tensor, outputBuffer } from "../tensor.ts";

type Forward = (x: Float32Array, y: Float32Array, n: number) => void;
/** gx[i] += g[i] · dy/dx at element i. */
type Backward = (x: Float32Array, y: Float32Array, g: Float32Array, gx: Float32Array, n: number) => void;

function unary(name: string, x: Tensor, forward: Forward, backward: Backward): Tensor {
  const xd = x.data;
  const data = outputBuffer(x.size);
  forward(xd, data, x.size);
  const out = Tensor.result(data, x.shape, [x], name);
  if (out.requiresGrad) out.backwardFn = () => backward(xd, data, out.grad!, x.gradBuffer(), x.size);
  return out;
}

const sigmoidOf = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
// PyTorch's softplus threshold: above it, log(1 + eˣ) equals x in float32.
const SOFTPLUS_THRESHOLD = 20;

/** eˣ; d/dx = eˣ = y. */
export const exp = (x: Tensor) => unary("exp", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.exp(xd[i]!); },
  (_x, y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! += g[i]! * y[i]!; });

/** ln x; d/dx = 1/x. */
export const log = (x: Tensor) => unary("log", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.log(xd[i]!); },
  (xd, _y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! += g[i]! / xd[i]!; });

/** 1/(1 + e⁻ˣ), evaluated without overflow; d/dx = y(1 − y). */
export const sigmoid = (x: Tensor) => unary("sigmoid", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) y[i] = sigmoidOf(xd[i]!); },
  (_x, y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! += g[i]! * y[i]! * (1 - y[i]!); });

/** tanh x; d/dx = 1 − y². */
export const tanh = (x: Tensor) => unary("tanh", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.tanh(xd[i]!); },
  (_x, y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! += g[i]! * (1 - y[i]! * y[i]!); });

/** max(x, 0); d/dx = [x > 0]. */
export const relu = (x: Tensor) => unary("relu", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) y[i] = xd[i]! > 0 ? xd[i]! : 0; },
  (xd, _y, g, gx, n) => { for (let i = 0; i < n; i++) if (xd[i]! > 0) gx[i]! += g[i]!; });

/** x if x > 0 else slope·x (PyTorch's default slope 0.01); d/dx = 1 or slope. */
export const leakyRelu = (x: Tensor, slope = 0.01) => unary("leaky_relu", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) y[i] = xd[i]! > 0 ? xd[i]! : slope * xd[i]!; },
  (xd, _y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! += xd[i]! > 0 ? g[i]! : slope * g[i]!; });

/** x if x > 0 else α(eˣ − 1); d/dx = 1 or y + α. */
export const elu = (x: Tensor, alpha = 1) => unary("elu", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) y[i] = xd[i]! > 0 ? xd[i]! : alpha * Math.expm1(xd[i]!); },
  (xd, y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! += xd[i]! > 0 ? g[i]! : g[i]! * (y[i]! + alpha); });

/** ln(1 + eˣ) (x itself above 20, as PyTorch); d/dx = sigmoid(x). */
export const softplus = (x: Tensor) => unary("softplus", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) { const v = xd[i]!; y[i] = v > SOFTPLUS_THRESHOLD ? v : Math.log1p(Math.exp(v)); } },
  (xd, _y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! += g[i]! * sigmoidOf(xd[i]!); });

/** ln sigmoid(x) = −softplus(−x), stable for large |x|; d/dx = 1 − sigmoid(x). */
export const logSigmoid = (x: Tensor) => unary("log_sigmoid", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) { const v = xd[i]!; y[i] = v < -SOFTPLUS_THRESHOLD ? v : -Math.log1p(Math.exp(-v)); } },
  (xd, _y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! += g[i]! * (1 - sigmoidOf(xd[i]!)); });

/** x²; d/dx = 2x. */
export const square = (x: Tensor) => unary("square", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) y[i] = xd[i]! * xd[i]!; },
  (xd, _y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! += 2 * g[i]! * xd[i]!; });

/** √x; d/dx = 1/(2y). */
export const sqrt = (x: Tensor) => unary("sqrt", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.sqrt(xd[i]!); },
  (_x, y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! += (0.5 * g[i]!) / y[i]!; });

/** |x|; d/dx = sign(x) (0 at 0, as PyTorch). */
export const abs = (x: Tensor) => unary("abs", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) y[i] = Math.abs(xd[i]!); },
  (xd, _y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! += g[i]! * Math.sign(xd[i]!); });

/** −x. */
export const neg = (x: Tensor) => unary("neg", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) y[i] = -xd[i]!; },
  (_x, _y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! -= g[i]!; });

/** c·x for a constant c. */
export const scale = (x: Tensor, c: number) => unary("scale", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) y[i] = c * xd[i]!; },
  (_x, _y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! += c * g[i]!; });

/** x + c for a constant c. */
export const addScalar = (x: Tensor, c: number) => unary("add_scalar", x,
  (xd, y, n) => { for (let i = 0; i < n; i++) y[i] = xd[i]! + c; },
  (_x, _y, g, gx, n) => { for (let i = 0; i < n; i++) gx[i]! += g[i]!; });

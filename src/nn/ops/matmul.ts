/**
 * Matrix products on the BLAS path (src/linalg kernels: OpenBLAS sgemm, or the portable fallback).
 * Gradients are accumulated straight into the parents' buffers with beta = 1, so backward allocates
 * nothing for them.
 */
import { ACTIVATION_CODES } from "../../linalg/kernels.ts";
import { kernels } from "../backend.ts";
import { Tensor, outputBuffer } from "../tensor.ts";
import { tanh } from "./unary.ts";

/** a·b for 2-D tensors. dA = dOut·Bᵀ, dB = Aᵀ·dOut. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const m = a.rows, k = a.cols, n = b.cols;
  if (b.rows !== k) throw new RangeError(`matmul: [${a.shape.join(", ")}] · [${b.shape.join(", ")}]: inner dimensions differ`);
  const data = outputBuffer(m * n);
  const blas = kernels();
  blas.sgemm(false, false, m, n, k, 1, a.data, k, b.data, n, 0, data, n);
  const out = Tensor.result(data, [m, n], [a, b], "matmul");
  if (out.requiresGrad) {
    out.backwardFn = () => {
      const g = out.grad!;
      if (a.requiresGrad) { const [ga, beta] = a.gradSlot(); blas.sgemm(false, true, m, k, n, 1, g, n, b.data, n, beta, ga, k); } // dA += dOut·Bᵀ
      if (b.requiresGrad) { const [gb, beta] = b.gradSlot(); blas.sgemm(true, false, k, n, m, 1, a.data, k, g, n, beta, gb, n); } // dB += Aᵀ·dOut
    };
  }
  return out;
}

/** Activation applied by `linear`, with the PyTorch defaults for its parameter. */
export type Activation = "none" | "relu" | "leaky_relu" | "elu" | "sigmoid" | "tanh";
export interface ActivationOptions {
  /** leaky_relu slope for x < 0. Default 0.01 (torch.nn.LeakyReLU). */
  negativeSlope?: number;
  /** ELU α. Default 1 (torch.nn.ELU). */
  eluAlpha?: number;
}
export const ACTIVATIONS: readonly Activation[] = ["none", "relu", "leaky_relu", "elu", "sigmoid", "tanh"];

function kernelActivation(activation: Activation, options: ActivationOptions) {
  switch (activation) {
    case "none": case "tanh": return { code: ACTIVATION_CODES.none, alpha: 0 };
    case "relu": return { code: ACTIVATION_CODES.relu, alpha: 0 };
    case "leaky_relu": return { code: ACTIVATION_CODES.leakyRelu, alpha: options.negativeSlope ?? 0.01 };
    case "elu": return { code: ACTIVATION_CODES.elu, alpha: options.eluAlpha ?? 1 };
    case "sigmoid": return { code: ACTIVATION_CODES.sigmoid, alpha: 0 };
    default: throw new RangeError(`unknown activation "${String(activation)}"; use one of ${ACTIVATIONS.join(", ")}`);
  }
}

/**
 * The fused layer y = act(x·Wᵀ + b) for x [rows, in], weight [out, in] (torch.nn.Linear's layout), bias
 * [out] or null. One GEMM plus one element-wise pass forward; backward with dPre = dY·act'(y):
 * dW += dPreᵀ·x, db += Σ_rows dPre, dx += dPre·W.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null, activation: Activation = "none", options: ActivationOptions = {}): Tensor {
  const rows = x.rows, inF = x.cols, outF = weight.rows;
  if (weight.cols !== inF) throw new RangeError(`linear: input has ${inF} features, weight is [${weight.shape.join(", ")}] (expects [out, in])`);
  if (bias && bias.size !== outF) throw new RangeError(`linear: bias has ${bias.size} values, expected ${outF}`);
  const { code, alpha } = kernelActivation(activation, options);
  const blas = kernels();
  const data = outputBuffer(rows * outF);
  blas.sgemm(false, true, rows, outF, inF, 1, x.data, inF, weight.data, inF, 0, data, outF);
  if (bias || code !== ACTIVATION_CODES.none) blas.biasActivation(data, rows, outF, bias ? bias.data : null, code, alpha);
  const parents = bias ? [x, weight, bias] : [x, weight];
  const out = Tensor.result(data, [rows, outF], parents, activation === "none" || activation === "tanh" ? "linear" : `linear_${activation}`);
  if (out.requiresGrad) {
    out.backwardFn = () => {
      const g = out.grad!;
      // dPre overwrites out.grad in place (nothing reads out's gradient after its own backward step), and
      // the same pass adds db += Σ_rows dPre.
      const dPre = g;
      const biasGrad = bias?.requiresGrad ? bias.gradBuffer() : null;
      if (code !== ACTIVATION_CODES.none || biasGrad) blas.activationBackward(g, data, rows, outF, code, alpha, biasGrad);
      if (weight.requiresGrad) {
        const [gw, beta] = weight.gradSlot();
        blas.sgemm(true, false, outF, inF, rows, 1, dPre, outF, x.data, inF, beta, gw, inF); // dW (+)= dPreᵀ·x
      }
      if (x.requiresGrad) {
        const [gx, beta] = x.gradSlot();
        blas.sgemm(false, false, rows, inF, outF, 1, dPre, outF, weight.data, inF, beta, gx, inF); // dx (+)= dPre·W
      }
    };
  }
  return activation === "tanh" ? tanh(out) : out;
}

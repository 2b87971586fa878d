/** Losses, fused into single ops so a large reconstruction error costs one pass forward and one back. */
import { kernels } from "../backend.ts";
import { Tensor, outputBuffer } from "../tensor.ts";
import { sameShape } from "./broadcast.ts";

/** Mean squared error mean((pred − target)²) over all elements, as torch.nn.functional.mse_loss. d/dpred = 2(pred − target)/N. */
export function mse(pred: Tensor, target: Tensor): Tensor {
  if (!sameShape(pred.shape, target.shape)) {
    throw new RangeError(`mse: prediction [${pred.shape.join(", ")}] and target [${target.shape.join(", ")}] differ in shape`);
  }
  const blas = kernels();
  const n = pred.size;
  const out = Tensor.result(Float32Array.of(blas.squaredErrorSum(pred.data, target.data, n) / n), [], [pred, target], "mse");
  if (out.requiresGrad) {
    out.backwardFn = () => {
      const c = (2 * out.grad![0]!) / n;
      if (pred.requiresGrad) { const [g, beta] = pred.gradSlot(); blas.scaledDifference(pred.data, target.data, c, g, n, beta === 1); }
      if (target.requiresGrad) { const [g, beta] = target.gradSlot(); blas.scaledDifference(pred.data, target.data, -c, g, n, beta === 1); }
    };
  }
  return out;
}

/**
 * mse(linear(h, weight, bias), target) as one op, for a decoder whose last (activation-free) layer feeds a
 * reconstruction loss: the largest tensors of a CRL step. h [rows, in], weight [out, in] (torch.nn.Linear's
 * layout), bias [out] or null, target [rows, out].
 *
 * Forward: the output buffer is first filled with b − target, then ONE GEMM with beta = 1 adds h·Wᵀ, leaving
 * the residual D = h·Wᵀ + b − target (the prediction itself is never stored), then one read-only pass sums D²
 * (the loss) and, when the bias needs a gradient, the column sums of D. Backward needs no element-wise pass over
 * D: with c = 2·g/N, dW += c·Dᵀ·h and dh += c·D·W are GEMMs with c as alpha, db += c·colsum(D), and (rarely
 * needed) dtarget −= c·D. The unfused path makes five passes over rows×out floats (GEMM's zeroing, bias,
 * squared error, scaled difference, bias-gradient sum) and needs a gradient buffer of that size. Values agree
 * with it up to float rounding: (h·Wᵀ + b) − target is summed in a different order.
 */
export function linearMse(h: Tensor, weight: Tensor, bias: Tensor | null, target: Tensor): Tensor {
  const rows = h.rows, inF = h.cols, outF = weight.rows;
  if (weight.rank !== 2 || weight.cols !== inF) throw new RangeError(`linearMse: input has ${inF} features, weight is [${weight.shape.join(", ")}] (expects [out, in])`);
  if (bias && bias.size !== outF) throw new RangeError(`linearMse: bias has ${bias.size} values, expected ${outF}`);
  if (target.rank !== 2 || target.rows !== rows || target.cols !== outF) {
    throw new RangeError(`linearMse: prediction [${rows}, ${outF}] and target [${target.shape.join(", ")}] differ in shape`);
  }
  const blas = kernels();
  const n = rows * outF;
  const residual = outputBuffer(n); // becomes D; kept (not as a tensor) until backward
  blas.biasMinusTarget(residual, rows, outF, bias ? bias.data : null, target.data);
  blas.sgemm(false, true, rows, outF, inF, 1, h.data, inF, weight.data, inF, 1, residual, outF); // D = h·Wᵀ + (b − target)
  const colSums = bias?.requiresGrad ? new Float32Array(outF) : null;
  const total = blas.squaredSumColumns(residual, rows, outF, colSums);
  const parents = bias ? [h, weight, bias, target] : [h, weight, target];
  const out = Tensor.result(Float32Array.of(n === 0 ? NaN : total / n), [], parents, "linear_mse");
  if (out.requiresGrad) {
    out.backwardFn = () => {
      const c = (2 * out.grad![0]!) / n;
      if (bias?.requiresGrad) {
        const [gb, beta] = bias.gradSlot();
        for (let j = 0; j < outF; j++) gb[j] = (beta === 1 ? gb[j]! : 0) + c * colSums![j]!;
      }
      if (weight.requiresGrad) {
        const [gw, beta] = weight.gradSlot();
        blas.sgemm(true, false, outF, inF, rows, c, residual, outF, h.data, inF, beta, gw, inF); // dW (+)= c·Dᵀ·h
      }
      if (h.requiresGrad) {
        const [gh, beta] = h.gradSlot();
        blas.sgemm(false, false, rows, inF, outF, c, residual, outF, weight.data, inF, beta, gh, inF); // dh (+)= c·D·W
      }
      if (target.requiresGrad) {
        // d/dtarget = −c·D. Targets are data in a reconstruction loss, so this rare case stays a plain loop.
        const [gt, beta] = target.gradSlot();
        if (beta === 1) for (let i = 0; i < n; i++) gt[i]! -= c * residual[i]!;
        else for (let i = 0; i < n; i++) gt[i] = -c * residual[i]!;
      }
    };
  }
  return out;
}

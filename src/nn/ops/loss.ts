/** Losses, fused into single ops so a large reconstruction error costs one pass forward and one back. */
import { kernels } from "../backend.ts";
import { Tensor } from "../tensor.ts";
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

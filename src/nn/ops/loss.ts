/** Losses, fused into single ops so a large reconstruction error costs one pass forward and one back. */
import { Tensor } from "../tensor.ts";
import { sameShape } from "./broadcast.ts";

/** Mean squared error mean((pred − target)²) over all elements, as torch.nn.functional.mse_loss. d/dpred = 2(pred − target)/N. */
export function mse(pred: Tensor, target: Tensor): Tensor {
  if (!sameShape(pred.shape, target.shape)) {
    throw new RangeError(`mse: prediction [${pred.shape.join(", ")}] and target [${target.shape.join(", ")}] differ in shape`);
  }
  const p = pred.data, t = target.data, n = pred.size;
  let total = 0; // float64 accumulation
  for (let i = 0; i < n; i++) {
    const d = p[i]! - t[i]!;
    total += d * d;
  }
  const out = Tensor.result(Float32Array.of(total / n), [], [pred, target], "mse");
  if (out.requiresGrad) {
    out.backwardFn = () => {
      const c = (2 * out.grad![0]!) / n;
      if (pred.requiresGrad) {
        const g = pred.gradBuffer();
        for (let i = 0; i < n; i++) g[i]! += c * (p[i]! - t[i]!);
      }
      if (target.requiresGrad) {
        const g = target.gradBuffer();
        for (let i = 0; i < n; i++) g[i]! -= c * (p[i]! - t[i]!);
      }
    };
  }
  return out;
}

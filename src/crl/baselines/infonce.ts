/**
 * Symmetric InfoNCE between paired representations a_i (modality 1) and b_i (modality 2), with the
 * negative squared Euclidean distance as similarity (the LpSimCLRLoss, p = 2, of Daunhawer et al. 2023's
 * numeric experiments, after Zimmermann et al. 2021): logits S_ij = −‖a_i − b_j‖² / τ, and
 *
 *   loss = ½ · [ mean_i CE(S_i·, i) + mean_j CE(S_·j, j) ]      CE(s, i) = −s_i + log Σ_k exp(s_k)
 *
 * i.e. each a_i must pick its own b_i among the batch's b's and vice versa (the batch's other pairs are the
 * negatives). Built from differentiable nn ops; log-sum-exp is shifted by the (constant) row maximum for
 * stability, which leaves value and gradient unchanged.
 */
import { Tensor } from "../../nn/tensor.ts";
import { add, log, matmul, mean, scale, square, sub, sum, transpose, exp } from "../../nn/ops/index.ts";

/** B × B matrix of ‖a_i − b_j‖². */
export function pairwiseSquaredDistances(a: Tensor, b: Tensor): Tensor {
  const aa = sum(square(a), 1, { keepDims: true }); // [B, 1]
  const bb = transpose(sum(square(b), 1, { keepDims: true })); // [1, B]
  return sub(add(aa, bb), scale(matmul(a, transpose(b)), 2));
}

/** Mean over rows of log Σ_j exp(s_ij). */
function meanRowLogSumExp(s: Tensor): Tensor {
  const [rows, cols] = s.shape as [number, number];
  const max = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, s.data[i * cols + j]!);
    max[i] = m;
  }
  const shift = new Tensor(max, [rows, 1]);
  return mean(add(log(sum(exp(sub(s, shift)), 1, { keepDims: true })), shift));
}

export function symmetricInfoNce(a: Tensor, b: Tensor, tau = 1): Tensor {
  const logits = scale(pairwiseSquaredDistances(a, b), -1 / tau);
  const positives = scale(mean(sum(square(sub(a, b)), 1)), 1 / tau); // mean_i −S_ii
  const rows = meanRowLogSumExp(logits);
  const cols = meanRowLogSumExp(transpose(logits));
  return add(positives, scale(add(rows, cols), 0.5));
}

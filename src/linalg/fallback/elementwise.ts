/** TypeScript twins of native/src/elementwise.c (same formulas, float32 storage, float64 arithmetic). */
import type { ActivationCode } from "../kernels.ts";

export function biasActivation(y: Float32Array, rows: number, cols: number, bias: Float32Array | null, act: ActivationCode, alpha: number): void {
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    if (bias) for (let j = 0; j < cols; j++) y[o + j]! += bias[j]!;
    switch (act) {
      case 1: for (let j = o; j < o + cols; j++) if (!(y[j]! > 0)) y[j] = 0; break;
      case 2: for (let j = o; j < o + cols; j++) if (!(y[j]! > 0)) y[j] = alpha * y[j]!; break;
      case 3: for (let j = o; j < o + cols; j++) if (!(y[j]! > 0)) y[j] = alpha * Math.expm1(y[j]!); break;
      case 4: for (let j = o; j < o + cols; j++) y[j] = 1 / (1 + Math.exp(-y[j]!)); break;
      default: break;
    }
  }
}

export function activationBackward(dy: Float32Array, y: Float32Array, rows: number, cols: number, act: ActivationCode, alpha: number, biasGrad: Float32Array | null): void {
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = y[o + j]!, g = dy[o + j]!;
      let d: number;
      switch (act) {
        case 1: d = v > 0 ? g : 0; break;
        case 2: d = v > 0 ? g : alpha * g; break;
        case 3: d = v > 0 ? g : g * (v + alpha); break;
        case 4: d = g * v * (1 - v); break;
        default: d = g; break;
      }
      dy[o + j] = d;
      if (biasGrad) biasGrad[j]! += Math.fround(d);
    }
  }
}

export function adam(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, lr: number, beta1: number,
  beta2: number, eps: number, bias1: number, bias2: number, weightDecay: number): void {
  const step = lr / bias1;
  const invSqrtBias2 = 1 / Math.sqrt(bias2);
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]! + weightDecay * param[i]!;
    m[i] = beta1 * m[i]! + (1 - beta1) * g;
    v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
    param[i]! -= (step * m[i]!) / (Math.sqrt(v[i]!) * invSqrtBias2 + eps);
  }
}

export function squaredErrorSum(a: Float32Array, b: Float32Array, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    total += d * d;
  }
  return total;
}

export function scaledDifference(a: Float32Array, b: Float32Array, scale: number, out: Float32Array, n: number, accumulate: boolean): void {
  if (accumulate) for (let i = 0; i < n; i++) out[i]! += scale * (a[i]! - b[i]!);
  else for (let i = 0; i < n; i++) out[i] = scale * (a[i]! - b[i]!);
}

export function biasMinusTarget(out: Float32Array, rows: number, cols: number, bias: Float32Array | null, target: Float32Array): void {
  const n = rows * cols;
  if (out.length < n || target.length < n || (bias && bias.length < cols)) throw new RangeError(`biasMinusTarget: arrays shorter than ${rows}×${cols} require`);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    if (bias) for (let j = 0; j < cols; j++) out[o + j] = bias[j]! - target[o + j]!;
    else for (let j = 0; j < cols; j++) out[o + j] = 0 - target[o + j]!; // +0 for a zero target, as the native kernel
  }
}

export function squaredSumColumns(d: Float32Array, rows: number, cols: number, colSums: Float32Array | null): number {
  if (d.length < rows * cols || (colSums && colSums.length < cols)) throw new RangeError(`squaredSumColumns: arrays shorter than ${rows}×${cols} require`);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = d[o + j]!;
      total += v * v;
      if (colSums) colSums[j]! += v;
    }
  }
  return total;
}

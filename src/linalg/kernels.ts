/**
 * The low-level kernel interface shared by the OpenBLAS addon (native.ts) and the portable TypeScript
 * fallback (fallback/index.ts). Arguments follow BLAS/LAPACK conventions on row-major storage, and every
 * kernel works in place on caller-owned typed arrays; the friendly Matrix API lives in linalg.ts.
 */
export type Floats = Float32Array | Float64Array;

/** Activation codes of the fused element-wise kernels (same numbers as native/src/elementwise.h). */
export const ACTIVATION_CODES = { none: 0, relu: 1, leakyRelu: 2, elu: 3, sigmoid: 4 } as const;
export type ActivationName = keyof typeof ACTIVATION_CODES;
export type ActivationCode = (typeof ACTIVATION_CODES)[ActivationName];

export interface Kernels {
  /** C = alpha·op(A)·op(B) + beta·C; op(A) is m×k, op(B) is k×n, C is m×n; lda/ldb/ldc are row strides. */
  sgemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, lda: number,
    b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number): void;
  dgemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, lda: number,
    b: Float64Array, ldb: number, beta: number, c: Float64Array, ldc: number): void;
  /** Symmetric eigen (reads the lower triangle): eigenvalues ascending into w, eigenvectors into the columns of a. Returns LAPACK info. */
  dsyevd(n: number, a: Float64Array, w: Float64Array): number;
  /** Lower Cholesky factor into the lower triangle of a (upper triangle untouched). info > 0: minor of order info is not positive definite. */
  dpotrf(n: number, a: Float64Array): number;
  /** b (n×nrhs) ← (L·Lᵀ)⁻¹·b for the lower factor l. */
  dpotrs(n: number, nrhs: number, l: Float64Array, b: Float64Array): number;
  /** b (n×nrhs) ← a⁻¹·b by LU with partial pivoting; a is overwritten. info > 0: exactly singular. */
  dgesv(n: number, nrhs: number, a: Float64Array, b: Float64Array): number;
  /** y[i, j] = act(y[i, j] + bias[j]) in place (bias may be null); alpha: leaky slope or ELU alpha. */
  biasActivation(y: Float32Array, rows: number, cols: number, bias: Float32Array | null, act: ActivationCode, alpha: number): void;
  /**
   * Backward of y = act(x·Wᵀ + b) in one pass: dy ← dy · act'(pre) in place (from the output y), and
   * biasGrad[j] += Σ_i dy[i, j] (the new dy) when biasGrad is given.
   */
  activationBackward(dy: Float32Array, y: Float32Array, rows: number, cols: number, act: ActivationCode, alpha: number, biasGrad: Float32Array | null): void;
  /** One Adam update in place (torch.optim.Adam's formula); bias1 = 1 − β1ᵗ, bias2 = 1 − β2ᵗ. */
  adam(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, lr: number, beta1: number,
    beta2: number, eps: number, bias1: number, bias2: number, weightDecay: number): void;
  /** Σ (a[i] − b[i])² over the first n values (float64 result). */
  squaredErrorSum(a: Float32Array, b: Float32Array, n: number): number;
  /** out[i] = scale · (a[i] − b[i]), or += when `accumulate`. */
  scaledDifference(a: Float32Array, b: Float32Array, scale: number, out: Float32Array, n: number, accumulate: boolean): void;
  /**
   * First half of a linear layer fused with an MSE loss: out[i, j] = bias[j] − target[i, j] (bias may be null), so
   * that sgemm(…, beta = 1, out) then leaves the residual x·Wᵀ + bias − target in out.
   */
  biasMinusTarget(out: Float32Array, rows: number, cols: number, bias: Float32Array | null, target: Float32Array): void;
  /** Second half: Σ d² over the rows×cols matrix d (float64 result); colSums[j] += Σ_i d[i, j] when colSums is given. */
  squaredSumColumns(d: Float32Array, rows: number, cols: number, colSums: Float32Array | null): number;
  /** Threads the GEMMs use (OpenBLAS's count; 1 for the fallback). */
  threads(): number;
  /** The kernel set OpenBLAS runs (e.g. "Haswell", "SkylakeX"; native.ts says how it is chosen); "portable" for the fallback. */
  blasCore(): string;
}

/**
 * Conditional KCI (X ⫫ Y | Z), as causal-learn 0.1.4.7 KCI_CInd with CIT(data, "kci") defaults:
 *   z-score x, y and each z column (ddof = 1); Kx on [x, ½z], Ky on y, Kz on z, all Gaussian
 *   exp(−½·θ·‖a − b‖²) with θ = 1/(w²·dim z), w = 1.2 / 0.7 / 0.4 for n < 200 / < 1200 / otherwise;
 *   centre Kx, Ky and Kz; Rz = ε·(Kz + εI)⁻¹; KxR = Rz·Kx·Rz, KyR = Rz·Ky·Rz; V = Σ KxR∘KyR.
 *   Null: eigenpairs of KxR and KyR above 1e-5 × the largest; with Ax = Vx·diag(λx)·Vxᵀ (kept pairs) and
 *   Ay likewise, uu_prod's trace is Σ_t Ax_tt·Ay_tt and trace(uu_prod²) = Σ_st (Ax_st·Ay_st)², which gives
 *   the gamma approximation without forming the n × (kx·ky) product matrix.
 * Dense O(n²) memory and O(n³) time through src/linalg (OpenBLAS when the addon is built).
 */
import { ComputeError } from "../errors.ts";
import { gemm, matrix, symmetricEigen, type Matrix } from "../linalg/index.ts";
import { gammaUpperTail } from "../stats/distributions.ts";
import { zScore } from "../stats/descriptive.ts";
import { getColumn, pairLabel, type PrepareContext } from "./columns.ts";
import type { CiResult } from "./types.ts";
import type { KciOptions } from "./kci.ts";

const EIGEN_THRESHOLD = 1e-5;

/** set_width_empirical_kci applied to z: θ = 1/(w²·dim z). */
export function kciConditionalTheta(n: number, dimZ: number): number {
  const w = n < 200 ? 1.2 : n < 1200 ? 0.7 : 0.4;
  return 1 / (w * w) / dimZ;
}

function gaussianGram(columns: Float64Array[], theta: number): Matrix {
  const n = columns[0]!.length;
  const k = matrix(n, n);
  for (let i = 0; i < n; i++) {
    k.data[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      let d2 = 0;
      for (const c of columns) { const t = c[i]! - c[j]!; d2 += t * t; }
      const v = Math.exp(-0.5 * d2 * theta);
      k.data[i * n + j] = v;
      k.data[j * n + i] = v;
    }
  }
  return k;
}

function centerInPlace(k: Matrix): Matrix {
  const n = k.rows;
  const colSums = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) colSums[j]! += k.data[i * n + j]!;
  let all = 0;
  for (let j = 0; j < n; j++) all += colSums[j]!;
  const grand = all / (n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) k.data[i * n + j]! += grand - (colSums[i]! + colSums[j]!) / n;
  return k;
}

/** The kept eigenpairs recombined: V·diag(λ)·Vᵀ over λ > threshold·max λ. */
function thresholdedReconstruction(k: Matrix): Matrix {
  const n = k.rows;
  const sym = matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sym.data[i * n + j] = 0.5 * (k.data[i * n + j]! + k.data[j * n + i]!);
  const { values, vectors } = symmetricEigen(sym);
  const max = values[n - 1]!;
  const kept: number[] = [];
  for (let j = n - 1; j >= 0; j--) if (values[j]! > max * EIGEN_THRESHOLD) kept.push(j);
  const scaled = matrix(n, kept.length);
  kept.forEach((j, c) => {
    const s = values[j]!;
    for (let i = 0; i < n; i++) scaled.data[i * kept.length + c] = vectors.data[i * n + j]! * s;
  });
  const basis = matrix(n, kept.length);
  kept.forEach((j, c) => { for (let i = 0; i < n; i++) basis.data[i * kept.length + c] = vectors.data[i * n + j]!; });
  return gemm(scaled, basis, { transB: true });
}

export function kciConditional(data: Matrix, x: number, y: number, zs: readonly number[], options: KciOptions, context?: PrepareContext): CiResult {
  const n = data.rows;
  if (n > options.maxConditionalRows) {
    throw new ComputeError(
      `kci ${pairLabel(x, y, zs, context)}: conditional KCI on ${n} rows needs several ${n} × ${n} matrices (limit ${options.maxConditionalRows} rows)`,
      "subsample the rows, raise maxConditionalRows if memory allows, or use rcit for large n",
    );
  }
  const cx = zScore(getColumn(data, x)), cy = zScore(getColumn(data, y));
  const cz = zs.map((j) => zScore(getColumn(data, j)));
  const theta = kciConditionalTheta(n, zs.length);
  const halfZ = cz.map((c) => c.map((v) => 0.5 * v));
  const kx = centerInPlace(gaussianGram([cx, ...halfZ], theta));
  const ky = centerInPlace(gaussianGram([cy], theta));
  const kz = centerInPlace(gaussianGram(cz, theta));
  // Rz = ε·(Kz + εI)⁻¹ through the eigendecomposition of the symmetric Kz.
  const eps = options.epsilon;
  const ez = symmetricEigen(kz);
  const scaledU = matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) scaledU.data[i * n + j] = ez.vectors.data[i * n + j]! * (eps / (ez.values[j]! + eps));
  }
  const rz = gemm(scaledU, ez.vectors, { transB: true });
  const kxr = gemm(gemm(rz, kx), rz);
  const kyr = gemm(gemm(rz, ky), rz);
  let statistic = 0;
  for (let i = 0; i < n * n; i++) statistic += kxr.data[i]! * kyr.data[i]!;
  const ax = thresholdedReconstruction(kxr);
  const ay = thresholdedReconstruction(kyr);
  let meanApprox = 0, sumSq = 0;
  for (let i = 0; i < n; i++) meanApprox += ax.data[i * n + i]! * ay.data[i * n + i]!;
  for (let i = 0; i < n * n; i++) { const p = ax.data[i]! * ay.data[i]!; sumSq += p * p; }
  const varApprox = 2 * sumSq;
  const shape = meanApprox ** 2 / varApprox;
  const scale = varApprox / meanApprox;
  return {
    test: "kci", statistic, pValue: gammaUpperTail(statistic, shape, scale), n,
    details: { gamma_shape: shape, gamma_scale: scale, kernel_theta: [theta, theta, theta] },
  };
}

/**
 * Dense linear algebra for PersonaX (row-major `Matrix` from matrix.ts; float32 `MatrixF32` for nn).
 *
 *   gemm(a, b, { transA?, transB?, alpha? }) → Matrix          alpha·op(A)·op(B)
 *   sgemm(a, b, { transA?, transB?, alpha?, beta?, out? })      float32 version (optionally accumulating)
 *   symmetricEigen(a) → { values (ascending), vectors (columns) }
 *   cholesky(a) → lower L (ComputeError naming size and failing minor when not positive definite)
 *   choleskySolve(l, b), solve(a, b), inverseSpd(a)
 *   linalgBackend() → "native" | "fallback";  nativeLinalg() / fallbackLinalg to pick a path explicitly
 *
 * The functions below delegate to the active backend: the OpenBLAS/LAPACKE addon in native/ when built
 * (loaded on the first call, not at import), otherwise the portable TypeScript kernels (announced once on
 * stderr). PERSONAX_NATIVE=0 forces the fallback. OpenBLAS reads its thread count from the environment (OPENBLAS_NUM_THREADS); we leave it alone.
 */
import type { Matrix } from "./matrix.ts";
import { activeLinalg } from "./linalg.ts";
import type { GemmOptions, MatrixF32, SgemmOptions, SymmetricEigen } from "./linalg.ts";

export * from "./matrix.ts";
export { activeLinalg, fallbackLinalg, linalgBackend, makeLinalg, nativeLinalg } from "./linalg.ts";
export type { BackendName, GemmOptions, Linalg, MatrixF32, SgemmOptions, SymmetricEigen } from "./linalg.ts";
export type { ActivationCode, ActivationName, Kernels } from "./kernels.ts";
export { ACTIVATION_CODES } from "./kernels.ts";

export const gemm = (a: Matrix, b: Matrix, options?: GemmOptions): Matrix => activeLinalg().gemm(a, b, options);
export const sgemm = (a: MatrixF32, b: MatrixF32, options?: SgemmOptions): MatrixF32 => activeLinalg().sgemm(a, b, options);
export const symmetricEigen = (a: Matrix): SymmetricEigen => activeLinalg().symmetricEigen(a);
export const cholesky = (a: Matrix): Matrix => activeLinalg().cholesky(a);
export const choleskySolve = <B extends Matrix | Float64Array>(l: Matrix, b: B): B => activeLinalg().choleskySolve(l, b);
export const solve = <B extends Matrix | Float64Array>(a: Matrix, b: B): B => activeLinalg().solve(a, b);
export const inverseSpd = (a: Matrix): Matrix => activeLinalg().inverseSpd(a);

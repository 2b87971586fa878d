/** The portable TypeScript kernels: used when the OpenBLAS addon is absent or PERSONAX_NATIVE=0. */
import type { Kernels } from "../kernels.ts";
import { gemmInto } from "./gemm.ts";
import { symmetricEigenInPlace } from "./symmetric-eigen.ts";
import { choleskyInPlace, choleskySolveInPlace, luSolveInPlace } from "./factorizations.ts";
import { activationBackward, adam, biasActivation, biasMinusTarget, scaledDifference, squaredSumColumns, squaredErrorSum } from "./elementwise.ts";

export const fallbackKernels: Kernels = {
  sgemm: gemmInto,
  dgemm: gemmInto,
  dsyevd(n, a, w) {
    // LAPACK reads only the lower triangle; mirror it so both paths see the same matrix.
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = a[j * n + i]!;
    return symmetricEigenInPlace(n, a, w);
  },
  dpotrf: choleskyInPlace,
  dpotrs: choleskySolveInPlace,
  dgesv: luSolveInPlace,
  biasActivation,
  activationBackward,
  adam,
  squaredErrorSum,
  scaledDifference,
  biasMinusTarget,
  squaredSumColumns,
  threads: () => 1,
  blasCore: () => "portable",
};

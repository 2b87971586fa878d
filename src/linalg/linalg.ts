/**
 * The dense linear-algebra API over a `Kernels` implementation. `makeLinalg` is applied once to the
 * OpenBLAS kernels (`nativeLinalg()`, undefined when the addon is absent; loaded on first use) and once to the portable kernels
 * (`fallbackLinalg`), so both paths share the same argument checks, error messages and result layout;
 * tests run each numeric contract against both objects.
 */
import { ComputeError } from "../errors.ts";
import type { Matrix } from "./matrix.ts";
import type { Kernels } from "./kernels.ts";
import { fallbackKernels } from "./fallback/index.ts";
import { loadNativeKernels, type NativeLoad } from "./native.ts";

/** A dense row-major float32 matrix (the nn code's storage). */
export interface MatrixF32 {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

export interface GemmOptions {
  /** Use Aᵀ instead of A. Default false. */
  transA?: boolean;
  /** Use Bᵀ instead of B. Default false. */
  transB?: boolean;
  /** Scale of the product. Default 1. */
  alpha?: number;
}

export interface SgemmOptions extends GemmOptions {
  /** Accumulate into `out`: out = alpha·op(A)·op(B) + beta·out. Default 0 (out is overwritten). */
  beta?: number;
  /** Write into this array (length rows·cols of the result) instead of allocating. */
  out?: Float32Array;
}

export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as the columns (column j belongs to values[j]), orthonormal. */
  vectors: Matrix;
}

export type BackendName = "native" | "fallback";

export interface Linalg {
  readonly name: BackendName;
  /** The raw kernels (in-place, BLAS conventions) for hot loops such as src/nn. */
  readonly kernels: Kernels;
  /** alpha·op(A)·op(B) as a new Matrix. */
  gemm(a: Matrix, b: Matrix, options?: GemmOptions): Matrix;
  /** Float32 alpha·op(A)·op(B) (+ beta·out). */
  sgemm(a: MatrixF32, b: MatrixF32, options?: SgemmOptions): MatrixF32;
  /** Eigen-decomposition of a symmetric matrix (only the lower triangle is read). */
  symmetricEigen(a: Matrix): SymmetricEigen;
  /** Lower-triangular L with L·Lᵀ = A (only the lower triangle of A is read); ComputeError if A is not positive definite. */
  cholesky(a: Matrix): Matrix;
  /** Solves (L·Lᵀ)·X = B for the factor L from `cholesky`; B a Matrix (n×k) or a vector (length n). */
  choleskySolve<B extends Matrix | Float64Array>(l: Matrix, b: B): B;
  /** Solves A·X = B for a square A (LU with partial pivoting); ComputeError if A is singular. */
  solve<B extends Matrix | Float64Array>(a: Matrix, b: B): B;
  /** The inverse of a symmetric positive-definite matrix, via Cholesky (exactly symmetric result). */
  inverseSpd(a: Matrix): Matrix;
  /** Threads used by the GEMMs. */
  threads(): number;
  /** The BLAS kernel set in use ("Haswell", "SkylakeX", …; "portable" for the fallback). */
  blasCore(): string;
}

function checkFinite(what: string, data: Float64Array): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new ComputeError(`${what}: the input holds a non-finite value (${data[i]}) at flat index ${i}`,
        "remove or impute missing values before the linear algebra");
    }
  }
}

function checkSquare(what: string, a: Matrix): number {
  if (a.rows !== a.cols) throw new ComputeError(`${what}: needs a square matrix, got ${a.rows}×${a.cols}`);
  if (a.data.length !== a.rows * a.cols) throw new ComputeError(`${what}: matrix data has ${a.data.length} values, expected ${a.rows * a.cols}`);
  return a.rows;
}

function rhsShape(what: string, n: number, b: Matrix | Float64Array): { data: Float64Array; cols: number; vector: boolean } {
  if (b instanceof Float64Array) {
    if (b.length !== n) throw new ComputeError(`${what}: right-hand side has length ${b.length}, expected ${n}`);
    return { data: Float64Array.from(b), cols: 1, vector: true };
  }
  if (b.rows !== n) throw new ComputeError(`${what}: right-hand side has ${b.rows} rows, expected ${n}`);
  return { data: Float64Array.from(b.data), cols: b.cols, vector: false };
}

function productShape(what: string, a: { rows: number; cols: number }, b: { rows: number; cols: number }, o: GemmOptions) {
  const m = o.transA ? a.cols : a.rows;
  const k = o.transA ? a.rows : a.cols;
  const kb = o.transB ? b.cols : b.rows;
  const n = o.transB ? b.rows : b.cols;
  if (k !== kb) {
    throw new ComputeError(`${what}: inner dimensions differ: op(A) is ${m}×${k}, op(B) is ${kb}×${n}` +
      ` (A ${a.rows}×${a.cols}${o.transA ? " transposed" : ""}, B ${b.rows}×${b.cols}${o.transB ? " transposed" : ""})`);
  }
  return { m, n, k };
}

export function makeLinalg(name: BackendName, kernels: Kernels): Linalg {
  const linalg: Linalg = {
    name,
    kernels,
    threads: () => kernels.threads(),
    blasCore: () => kernels.blasCore(),

    gemm(a, b, options = {}) {
      const { m, n, k } = productShape("gemm", a, b, options);
      const out = new Float64Array(m * n);
      kernels.dgemm(!!options.transA, !!options.transB, m, n, k, options.alpha ?? 1, a.data, a.cols, b.data, b.cols, 0, out, n);
      return { rows: m, cols: n, data: out };
    },

    sgemm(a, b, options = {}) {
      const { m, n, k } = productShape("sgemm", a, b, options);
      const out = options.out ?? new Float32Array(m * n);
      if (out.length !== m * n) throw new ComputeError(`sgemm: out has ${out.length} values, the product needs ${m * n}`);
      kernels.sgemm(!!options.transA, !!options.transB, m, n, k, options.alpha ?? 1, a.data, a.cols, b.data, b.cols,
        options.out ? (options.beta ?? 0) : 0, out, n);
      return { rows: m, cols: n, data: out };
    },

    symmetricEigen(a) {
      const n = checkSquare("symmetricEigen", a);
      checkFinite("symmetricEigen", a.data);
      const vectors = Float64Array.from(a.data);
      const values = new Float64Array(n);
      const info = kernels.dsyevd(n, vectors, values);
      if (info !== 0) {
        throw new ComputeError(`symmetricEigen: the ${n}×${n} eigen-decomposition did not converge (info ${info})`,
          "check the matrix for extreme scales; rescale it before decomposing");
      }
      return { values, vectors: { rows: n, cols: n, data: vectors } };
    },

    cholesky(a) {
      const n = checkSquare("cholesky", a);
      checkFinite("cholesky", a.data);
      const l = Float64Array.from(a.data);
      const info = kernels.dpotrf(n, l);
      if (info !== 0) {
        throw new ComputeError(
          `cholesky: the ${n}×${n} matrix is not positive definite (the leading minor of order ${info} is not positive)`,
          "add a small ridge to the diagonal (e.g. 1e-8 · mean diagonal) or drop duplicated/constant columns");
      }
      for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
      return { rows: n, cols: n, data: l };
    },

    choleskySolve<B extends Matrix | Float64Array>(l: Matrix, b: B): B {
      const n = checkSquare("choleskySolve", l);
      const rhs = rhsShape("choleskySolve", n, b);
      kernels.dpotrs(n, rhs.cols, l.data, rhs.data);
      return (rhs.vector ? rhs.data : { rows: n, cols: rhs.cols, data: rhs.data }) as B;
    },

    solve<B extends Matrix | Float64Array>(a: Matrix, b: B): B {
      const n = checkSquare("solve", a);
      checkFinite("solve", a.data);
      const rhs = rhsShape("solve", n, b);
      const info = kernels.dgesv(n, rhs.cols, Float64Array.from(a.data), rhs.data);
      if (info !== 0) {
        throw new ComputeError(`solve: the ${n}×${n} matrix is singular (zero pivot in column ${info})`,
          "remove linearly dependent columns or add a ridge to the diagonal");
      }
      return (rhs.vector ? rhs.data : { rows: n, cols: rhs.cols, data: rhs.data }) as B;
    },

    inverseSpd(a) {
      const l = linalg.cholesky(a);
      const n = a.rows;
      const inv = new Float64Array(n * n);
      for (let i = 0; i < n; i++) inv[i * n + i] = 1;
      kernels.dpotrs(n, n, l.data, inv);
      // Round-off leaves the two triangles a few ulps apart; average them so callers get a symmetric matrix.
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const v = 0.5 * (inv[i * n + j]! + inv[j * n + i]!);
          inv[i * n + j] = v;
          inv[j * n + i] = v;
        }
      }
      return { rows: n, cols: n, data: inv };
    },
  };
  return linalg;
}

let nativeLoad: NativeLoad | undefined;
let native: Linalg | undefined;

/**
 * The OpenBLAS/LAPACKE path; undefined when the addon is not built or fails to load. The addon is loaded on
 * the first call (not at import), so importing the library or starting the CLI does not dlopen OpenBLAS.
 */
export function nativeLinalg(): Linalg | undefined {
  if (!nativeLoad) {
    nativeLoad = loadNativeKernels();
    if (nativeLoad.kernels) native = makeLinalg("native", nativeLoad.kernels);
  }
  return native;
}

/** The portable TypeScript path (always available). */
export const fallbackLinalg: Linalg = makeLinalg("fallback", fallbackKernels);

let active: Linalg | undefined;

/**
 * The backend in use: native unless the addon is missing or PERSONAX_NATIVE=0. The first call chooses (and
 * loads the addon unless PERSONAX_NATIVE=0) and announces the fallback with one line on stderr (once per process).
 */
export function activeLinalg(): Linalg {
  if (active) return active;
  const forced = process.env.PERSONAX_NATIVE === "0";
  const nativePath = forced ? undefined : nativeLinalg();
  if (nativePath) {
    active = nativePath;
  } else {
    active = fallbackLinalg;
    const why = forced ? "PERSONAX_NATIVE=0" : nativeLoad?.kernels ? "" : nativeLoad?.reason;
    process.stderr.write(`personax: using the portable TypeScript linear algebra (${why}); expect slower training and KCI.\n`);
  }
  return active;
}

/** "native" (OpenBLAS addon) or "fallback" (portable TypeScript). */
export function linalgBackend(): BackendName {
  return activeLinalg().name;
}

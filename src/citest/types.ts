import type { Matrix } from "../linalg/matrix.ts";
import type { OptionSchema } from "./options.ts";

/** The answer to one independence query X ⫫ Y | Z. */
export interface CiResult {
  /** Registry name of the test that answered. */
  test: string;
  /** The test statistic as the reference reports it; null where the reference has none (e.g. dof = 0). */
  statistic: number | null;
  /** Exact upper-tail p-value (never computed as 1 − cdf). */
  pValue: number;
  /** Degrees of freedom, for the chi-square family. */
  dof?: number;
  /** Rows used. */
  n: number;
  /** Test-specific internals worth reporting (kernel widths, gamma parameters, cardinalities…). */
  details?: Record<string, unknown>;
}

/** A prepared test: the heavy per-dataset work is done; each call answers one query cheaply. */
export type CiQueryFn = (x: number, y: number, z: readonly number[]) => CiResult;

/** Optional context for `prepare`: column names make error messages name the pair. */
export interface CiPrepareContext {
  columnNames?: readonly string[];
}

/** A conditional-independence test descriptor; see src/citest/registry.ts. */
export interface CiTest<O = unknown> {
  /** Registry key = CLI value, e.g. "kci". */
  name: string;
  title: string;
  dataKind: "continuous" | "discrete" | "any";
  /** Whether z may be non-empty. */
  conditional: boolean;
  /** Options with defaults, checks and descriptions (options.ts). */
  options: OptionSchema<O>;
  /** The reference implementation this mirrors (package, file, function). */
  reference: string;
  /**
   * Per-dataset preparation. `data` has no missing values (callers drop NaN rows first). Queries throw
   * ComputeError for inputs the test cannot handle (constant column, fewer than 5 rows, …).
   */
  prepare(data: Matrix, options?: Partial<O>, context?: CiPrepareContext): CiQueryFn;
}

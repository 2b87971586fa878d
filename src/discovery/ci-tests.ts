import { ciTestNames, getCiTest } from "../citest/registry.ts";
import type { CiQueryFn } from "../citest/types.ts";
import { UsageError } from "../errors.ts";
import { matrix, type Matrix } from "../linalg/matrix.ts";

/** Prepares a registry CI test (src/citest/registry.ts) by name on a data matrix. */
export function prepareRegistryTest(name: string, data: Matrix, options?: Record<string, unknown>, columnNames?: readonly string[]): CiQueryFn {
  if (!(ciTestNames as string[]).includes(name)) {
    throw new UsageError(`unknown CI test "${name}"`, `use one of: ${ciTestNames.join(", ")}`);
  }
  return getCiTest(name).prepare(data, options, { columnNames });
}

export { ciTestNames };

/** Keeps the rows with no missing value in any column (pandas `df[nodes].dropna()`, as the PC fixtures do). */
export function dropMissingRows(data: Matrix): { data: Matrix; dropped: number } {
  const keep: number[] = [];
  for (let r = 0; r < data.rows; r++) {
    let ok = true;
    for (let c = 0; c < data.cols && ok; c++) ok = Number.isFinite(data.data[r * data.cols + c]!);
    if (ok) keep.push(r);
  }
  if (keep.length === data.rows) return { data, dropped: 0 };
  const out = matrix(keep.length, data.cols);
  keep.forEach((r, i) => out.data.set(data.data.subarray(r * data.cols, (r + 1) * data.cols), i * data.cols));
  return { data: out, dropped: data.rows - keep.length };
}

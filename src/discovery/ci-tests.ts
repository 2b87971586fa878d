import { ciTestNames, getCiTest } from "../citest/registry.ts";
import type { CiQueryFn } from "../citest/types.ts";
import { matrix, type Matrix } from "../linalg/matrix.ts";
import { ciKey } from "./pc/ci-runner.ts";

/** 32-bit FNV-1a of a string. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Prepares a registry CI test (src/citest/registry.ts) by name on a data matrix.
 *
 * A randomized test (RCIT) prepared once draws from one stream, so a query's p-value would depend on
 * which queries ran before it, and PC's result on the order and thread count. Here such a test gets its
 * own stream per query: the seed is derived from the base seed and the canonical query, so every query
 * has one answer however and wherever it runs.
 */
export function prepareRegistryTest(name: string, data: Matrix, options?: Record<string, unknown>, columnNames?: readonly string[]): CiQueryFn {
  const test = getCiTest(name);
  if (!test.randomized || options?.drawSource !== undefined) return test.prepare(data, options, { columnNames });
  const baseSeed = Number(options?.seed ?? 0);
  // Both 32-bit halves of the seed count (seeds run to 2^53), so seeds 5 and 2^32 + 5 differ.
  const seedMix = Math.imul(baseSeed | 0, 1000003) ^ Math.imul(Math.floor(baseSeed / 2 ** 32) | 0, 0x9e3779b1);
  return (x, y, z) => {
    const seed = (seedMix ^ fnv1a(ciKey(x, y, z))) >>> 1;
    return test.prepare(data, { ...options, seed }, { columnNames })(x, y, z);
  };
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

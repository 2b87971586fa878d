/** Small descriptive statistics on Float64Array columns (no missing values expected; callers drop NaN). */

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

/** Standard deviation with `ddof` (1 = sample, as numpy's std(ddof=1)). */
export function standardDeviation(values: ArrayLike<number>, ddof = 1): number {
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i]! - m) ** 2;
  return Math.sqrt(s / (values.length - ddof));
}

/** (v − mean) / std(ddof) as a new array, as scipy.stats.zscore(v, ddof=ddof). */
export function zScore(values: ArrayLike<number>, ddof = 1): Float64Array {
  const m = mean(values);
  const sd = standardDeviation(values, ddof);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i]! - m) / sd;
  return out;
}

/** Median of the values (NaN skipped); undefined when empty. */
export function median(values: ArrayLike<number>): number | undefined {
  const sorted = Float64Array.from(values as ArrayLike<number>).filter((v) => !Number.isNaN(v)).sort();
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Distinct values (ascending) and, per element, the index of its value: numpy's
 * `np.unique(v, return_inverse=True)`. Also returns the count of each distinct value.
 */
export function uniqueCodes(values: ArrayLike<number>): { levels: Float64Array; codes: Int32Array; counts: Float64Array } {
  const n = values.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a]! - values[b]!);
  const codes = new Int32Array(n);
  const levels: number[] = [];
  const counts: number[] = [];
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    const v = values[i]!;
    if (levels.length === 0 || levels[levels.length - 1] !== v) { levels.push(v); counts.push(0); }
    codes[i] = levels.length - 1;
    counts[counts.length - 1]!++;
  }
  return { levels: Float64Array.from(levels), codes, counts: Float64Array.from(counts) };
}

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
  const small = smallIntegerCodes(values);
  if (small) return small;
  // Few distinct values (scores, codes): one Map pass, then sort only the distinct values.
  const seen = new Map<number, number>();
  const first = new Int32Array(n);
  let few = true;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    let c = seen.get(v);
    if (c === undefined) {
      if (seen.size >= 256) { few = false; break; }
      c = seen.size;
      seen.set(v, c);
    }
    first[i] = c;
  }
  if (few) {
    const levels = Float64Array.from(seen.keys()).sort();
    const rank = new Int32Array(levels.length);
    levels.forEach((v, r) => { rank[seen.get(v)!] = r; });
    const codes = new Int32Array(n);
    const counts = new Float64Array(levels.length);
    for (let i = 0; i < n; i++) { const c = rank[first[i]!]!; codes[i] = c; counts[c]!++; }
    return { levels, codes, counts };
  }
  // Many distinct values: a numeric typed-array sort (no comparator callback) plus binary search.
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const levelList: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    if (levelList.length === 0 || levelList[levelList.length - 1] !== v) levelList.push(v);
  }
  const levels = Float64Array.from(levelList);
  const codes = new Int32Array(n);
  const counts = new Float64Array(levels.length);
  for (let i = 0; i < n; i++) {
    // Binary search in the sorted levels (faster than a Map for numeric keys).
    const v = values[i]!;
    let lo = 0, hi = levels.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (levels[mid]! < v) lo = mid + 1; else hi = mid;
    }
    codes[i] = lo;
    counts[lo]!++;
  }
  return { levels, codes, counts };
}

/** Values below this that are all non-negative integers (category codes) are coded through a direct table. */
const SMALL_INTEGER_LIMIT = 1024;

/** uniqueCodes for non-negative integers below SMALL_INTEGER_LIMIT (same output), or undefined for other data. */
function smallIntegerCodes(values: ArrayLike<number>): { levels: Float64Array; codes: Int32Array; counts: Float64Array } | undefined {
  const n = values.length;
  const tally = new Int32Array(SMALL_INTEGER_LIMIT);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!(v >= 0 && v < SMALL_INTEGER_LIMIT && (v | 0) === v)) return undefined; // also NaN; −0 counts as 0, as np.unique
    tally[v]!++;
  }
  const rank = new Int32Array(SMALL_INTEGER_LIMIT);
  let distinct = 0;
  for (let v = 0; v < SMALL_INTEGER_LIMIT; v++) if (tally[v]! > 0) rank[v] = distinct++;
  const levels = new Float64Array(distinct);
  const counts = new Float64Array(distinct);
  for (let v = 0; v < SMALL_INTEGER_LIMIT; v++) if (tally[v]! > 0) { levels[rank[v]!] = v; counts[rank[v]!] = tally[v]!; }
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = rank[values[i]! | 0]!;
  return { levels, codes, counts };
}

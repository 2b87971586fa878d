/**
 * The k-th smallest value (0-based) of an array, by Hoare quickselect with median-of-three pivots.
 * Reorders `values` in place (the name says so: callers pass a scratch copy). O(n) on average.
 */
export function selectKthInPlace(values: Float64Array, k: number): number {
  let lo = 0, hi = values.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three as pivot
    let a = values[lo]!, b = values[mid]!, c = values[hi]!;
    if (a > b) [a, b] = [b, a];
    if (b > c) [b, c] = [c, b];
    if (a > b) [a, b] = [b, a];
    const pivot = b;
    let i = lo, j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!; values[i] = values[j]!; values[j] = t;
        i++; j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}

/** Median (average of the two middle values for even length) without a full sort; reorders in place. */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  const upper = selectKthInPlace(values, n >> 1);
  if (n % 2) return upper;
  // The lower middle is the maximum of the part left of n/2 after selection.
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + upper) / 2;
}

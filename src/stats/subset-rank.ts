/**
 * Ranks of subsets of {0, …, n − 1}: all subsets ordered by size, then by the combinatorial number system
 * (rank of s₀ < s₁ < … < s_{k−1} among k-subsets = Σ C(sᵢ, i + 1)). Integer cache keys for conditioning
 * sets (PC's p-value cache, chi-square's layering cache) without a string per lookup.
 */
export class SubsetRanks {
  /** binomial[a · (n + 1) + b] = C(a, b). */
  private readonly binomial: Float64Array;
  /** below[k] = number of subsets of size < k. */
  private readonly below: Float64Array;

  constructor(readonly n: number) {
    const m = n + 1;
    this.binomial = new Float64Array(m * m);
    for (let a = 0; a <= n; a++) {
      this.binomial[a * m] = 1;
      for (let b = 1; b <= a; b++) this.binomial[a * m + b] = this.binomial[(a - 1) * m + b - 1]! + this.binomial[(a - 1) * m + b]!;
    }
    this.below = new Float64Array(m + 1);
    for (let k = 0; k <= n; k++) this.below[k + 1] = this.below[k]! + this.binomial[n * m + k]!;
  }

  /** Number of subsets of size ≤ k: every rank of a k-subset is below it (exact while below 2^53). */
  countUpTo(k: number): number {
    return this.below[Math.min(k, this.n) + 1]!;
  }

  /** The rank of an increasing list of members (the caller checks the order). */
  rank(increasing: readonly number[]): number {
    const m = this.n + 1;
    let rank = this.below[increasing.length]!;
    for (let i = 0; i < increasing.length; i++) rank += this.binomial[increasing[i]! * m + i + 1]!;
    return rank;
  }
}

/** Whether a list is strictly increasing (a canonical set). */
export function isIncreasing(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i - 1]! < values[i]!)) return false;
  return true;
}

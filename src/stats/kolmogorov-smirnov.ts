/**
 * One-sample Kolmogorov–Smirnov test against Uniform(0, 1): the statistic D = sup |F_n − F| and its
 * asymptotic p-value from the Kolmogorov distribution (with Stephens' small-sample correction).
 * Used to check that p-values are uniform under independence.
 */
export function ksUniform(values: ArrayLike<number>): { statistic: number; pValue: number } {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const u = Math.min(1, Math.max(0, sorted[i]!));
    d = Math.max(d, (i + 1) / n - u, u - i / n);
  }
  const sqrtN = Math.sqrt(n);
  const lambda = (sqrtN + 0.12 + 0.11 / sqrtN) * d;
  return { statistic: d, pValue: kolmogorovUpperTail(lambda) };
}

/** P(K > λ) = 2 Σ_{k≥1} (−1)^(k−1) exp(−2k²λ²). */
function kolmogorovUpperTail(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += (k % 2 ? 1 : -1) * term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

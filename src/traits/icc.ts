/**
 * Intraclass correlations of Shrout & Fleiss (1979), "Intraclass correlations: uses in assessing rater
 * reliability", Psychological Bulletin 86(2). `ratings` is n targets × k judges (row-major arrays);
 * targets with any missing (NaN) rating are dropped, as the two-way ANOVA needs a complete table.
 * ICC(1,·): one-way random; ICC(2,·): two-way random (absolute agreement); ICC(3,·): two-way mixed
 * (consistency). "·,1" is the reliability of a single judge, "·,k" of the mean of the k judges.
 */
export interface IccResult {
  icc1: number; icc2: number; icc3: number;
  icc1k: number; icc2k: number; icc3k: number;
  /** Targets used (complete rows) and judges. */
  n: number; k: number;
  msr: number; msc: number; mse: number; msw: number;
}

export function icc(ratings: ReadonlyArray<ArrayLike<number>>): IccResult {
  const rows = ratings.filter((r) => Array.from(r).every((v) => Number.isFinite(v))).map((r) => Array.from(r));
  const n = rows.length;
  const k = rows[0]?.length ?? 0;
  if (n < 2 || k < 2) {
    const nan = NaN;
    return { icc1: nan, icc2: nan, icc3: nan, icc1k: nan, icc2k: nan, icc3k: nan, n, k, msr: nan, msc: nan, mse: nan, msw: nan };
  }
  let grand = 0;
  for (const r of rows) for (const v of r) grand += v;
  grand /= n * k;
  const rowMeans = rows.map((r) => r.reduce((s, v) => s + v, 0) / k);
  const colMeans = Array.from({ length: k }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n);
  let sst = 0;
  for (const r of rows) for (const v of r) sst += (v - grand) ** 2;
  const ssr = k * rowMeans.reduce((s, m) => s + (m - grand) ** 2, 0);
  const ssc = n * colMeans.reduce((s, m) => s + (m - grand) ** 2, 0);
  const sse = sst - ssr - ssc;
  const msr = ssr / (n - 1);
  const msc = ssc / (k - 1);
  const mse = sse / ((n - 1) * (k - 1));
  const msw = (ssc + sse) / (n * (k - 1));
  return {
    icc1: (msr - msw) / (msr + (k - 1) * msw),
    icc2: (msr - mse) / (msr + (k - 1) * mse + (k * (msc - mse)) / n),
    icc3: (msr - mse) / (msr + (k - 1) * mse),
    icc1k: (msr - msw) / msr,
    icc2k: (msr - mse) / (msr + (msc - mse) / n),
    icc3k: (msr - mse) / msr,
    n, k, msr, msc, mse, msw,
  };
}

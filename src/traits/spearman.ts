/** Average ranks (1-based), ties sharing the mean of their positions. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t]![1]] = rank;
    i = j + 1;
  }
  return ranks;
}

/**
 * Spearman's ρ over the pairs where both values are finite (pairwise deletion): the Pearson
 * correlation of average ranks, as scipy.stats.spearmanr. `n` = pairs used; ρ is NaN when n < 3 or a
 * side is constant.
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): { rho: number; n: number } {
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!) && Number.isFinite(y[i]!)) { a.push(x[i]!); b.push(y[i]!); }
  const n = a.length;
  if (n < 3) return { rho: NaN, n };
  const ra = averageRanks(a), rb = averageRanks(b);
  const ma = ra.reduce((s, v) => s + v, 0) / n, mb = rb.reduce((s, v) => s + v, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (ra[i]! - ma) * (rb[i]! - mb); saa += (ra[i]! - ma) ** 2; sbb += (rb[i]! - mb) ** 2; }
  return { rho: saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb), n };
}

/**
 * Krippendorff's α for `coders` × `units` reliability data with missing values (NaN), following
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": a coincidence matrix of the
 * pairable values (units with at least two values), then α = 1 − (n − 1)·Σ o_ck δ²_ck / Σ n_c n_k δ²_ck.
 * Metrics: nominal (δ² = [c ≠ k]), ordinal (δ² = (Σ_{g=c..k} n_g − (n_c + n_k)/2)²), interval ((c − k)²).
 * Returns NaN when fewer than one unit is pairable or all pairable values are equal.
 */
export type AlphaLevel = "nominal" | "ordinal" | "interval";

export function krippendorffAlpha(data: ReadonlyArray<ArrayLike<number>>, level: AlphaLevel = "ordinal"): number {
  const coders = data.length;
  const units = coders ? data[0]!.length : 0;
  const values = new Set<number>();
  for (const row of data) for (let u = 0; u < units; u++) if (Number.isFinite(row[u]!)) values.add(row[u]!);
  const domain = [...values].sort((a, b) => a - b);
  const index = new Map(domain.map((v, i) => [v, i]));
  const V = domain.length;
  const o = Array.from({ length: V }, () => new Float64Array(V));
  for (let u = 0; u < units; u++) {
    const present: number[] = [];
    for (let c = 0; c < coders; c++) { const v = data[c]![u]!; if (Number.isFinite(v)) present.push(index.get(v)!); }
    const m = present.length;
    if (m < 2) continue;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) o[present[i]!]![present[j]!]! += 1 / (m - 1);
  }
  const nc = o.map((row) => row.reduce((s, v) => s + v, 0));
  const n = nc.reduce((s, v) => s + v, 0);
  if (n === 0 || V < 2) return NaN;
  const delta = (c: number, k: number): number => {
    if (level === "nominal") return c === k ? 0 : 1;
    if (level === "interval") return (domain[c]! - domain[k]!) ** 2;
    const [lo, hi] = c < k ? [c, k] : [k, c];
    let sum = 0;
    for (let g = lo; g <= hi; g++) sum += nc[g]!;
    return (sum - (nc[c]! + nc[k]!) / 2) ** 2;
  };
  let observed = 0, expected = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      const d = delta(c, k);
      observed += o[c]![k]! * d;
      expected += nc[c]! * nc[k]! * d;
    }
  }
  return expected === 0 ? NaN : 1 - ((n - 1) * observed) / expected;
}

/**
 * Cross-correlation between the columns of two equally long sample matrices: C[i][j] = corr(A[:, i],
 * B[:, j]). Pearson as `np.corrcoef(A.T, B.T)[:d, d:]`; Spearman as `scipy.stats.spearmanr` (Pearson on
 * average ranks, ties share their mean rank). A constant column gives NaN, as numpy does.
 */
import type { Matrix } from "../../linalg/matrix.ts";

export type CorrelationMethod = "pearson" | "spearman";

export function crossCorrelation(a: Matrix, b: Matrix, method: CorrelationMethod = "pearson"): number[][] {
  if (a.rows !== b.rows) throw new RangeError(`crossCorrelation: ${a.rows} rows vs ${b.rows} rows`);
  const ca = columns(a, method);
  const cb = columns(b, method);
  return ca.map((x) => cb.map((y) => pearson(x, y)));
}

function columns(m: Matrix, method: CorrelationMethod): Float64Array[] {
  const out: Float64Array[] = [];
  for (let j = 0; j < m.cols; j++) {
    const col = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) col[i] = m.data[i * m.cols + j]!;
    out.push(method === "spearman" ? averageRanks(col) : col);
  }
  return out;
}

function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]!; my += y[i]!; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx, dy = y[i]! - my;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** 1-based ranks, ties get the average of the ranks they span (scipy.stats.rankdata method="average"). */
export function averageRanks(values: Float64Array): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => values[p]! - values[q]!);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start;
    while (end + 1 < n && values[order[end + 1]!] === values[order[start]!]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!] = rank;
    start = end + 1;
  }
  return ranks;
}

/**
 * SHD (structural Hamming distance) between two graphs on the same nodes, given as adjacency matrices
 * (a[i][j] = 1 for i → j; a[i][j] = a[j][i] = 1 for an undirected edge i — j, as in a CPDAG). Each
 * unordered pair whose edge status differs (missing, extra, reversed, directed vs undirected) counts 1.
 * The target is the true latent DAG; learned latents are first put in the truth's order with
 * `alignToTruth` (the MCC assignment), since a learned latent has no name of its own.
 */
export function shd(truth: number[][], estimate: number[][]): number {
  const L = truth.length;
  if (estimate.length !== L) throw new RangeError(`shd: graphs have ${L} and ${estimate.length} nodes`);
  const status = (a: number[][], i: number, j: number) => (a[i]![j] ? 1 : 0) + (a[j]![i] ? 2 : 0);
  let distance = 0;
  for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) if (status(truth, i, j) !== status(estimate, i, j)) distance++;
  return distance;
}

/**
 * Re-indexes a learned adjacency so learned dim colInd[k] takes true index rowInd[k]. True latents with
 * no matched learned dim get no edges.
 */
export function alignToTruth(estimate: number[][], rowInd: number[], colInd: number[], nTrue: number): number[][] {
  const out = Array.from({ length: nTrue }, () => new Array<number>(nTrue).fill(0));
  const trueOf = new Map<number, number>();
  rowInd.forEach((r, k) => trueOf.set(colInd[k]!, r));
  for (let a = 0; a < estimate.length; a++) {
    for (let b = 0; b < estimate.length; b++) {
      const ta = trueOf.get(a), tb = trueOf.get(b);
      if (estimate[a]![b] && ta !== undefined && tb !== undefined) out[ta]![tb] = 1;
    }
  }
  return out;
}

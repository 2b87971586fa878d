import type { Graph } from "../graph.ts";
import { assertSameNodes, type GraphMetric } from "./types.ts";

/**
 * Structural Hamming distance between two graphs with marks (compare the estimate with the CPDAG of the
 * true DAG): each unordered pair costs 1 when one graph has an edge and the other does not, and 1 when
 * both have it with different marks (a reversed or wrongly (un)oriented edge), as Tetrad's SHD.
 */
export function shd(truth: Graph, estimate: Graph): number {
  assertSameNodes(truth, estimate);
  let d = 0;
  for (let a = 0; a < truth.n; a++) {
    for (let b = a + 1; b < truth.n; b++) {
      const t = truth.adjacent(a, b), e = estimate.adjacent(a, b);
      if (t !== e) d++;
      else if (t && (truth.markAt(a, b) !== estimate.markAt(a, b) || truth.markAt(b, a) !== estimate.markAt(b, a))) d++;
    }
  }
  return d;
}

/** SHD of the skeletons: missing plus extra adjacencies, orientation ignored. */
export function skeletonShd(truth: Graph, estimate: Graph): number {
  assertSameNodes(truth, estimate);
  let d = 0;
  for (let a = 0; a < truth.n; a++) for (let b = a + 1; b < truth.n; b++) if (truth.adjacent(a, b) !== estimate.adjacent(a, b)) d++;
  return d;
}

export const shdMetric: GraphMetric = { abbrev: "SHD", title: "Structural Hamming distance (CPDAG)", value: shd };
export const skeletonShdMetric: GraphMetric = { abbrev: "SHD-skel", title: "Structural Hamming distance of the skeletons", value: skeletonShd };

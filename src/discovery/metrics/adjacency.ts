import type { Graph } from "../graph.ts";
import { assertSameNodes, prf, type GraphMetric } from "./types.ts";

/** Adjacency precision/recall/F1: an adjacency is an unordered pair joined by any edge. */
export function adjacencyScores(truth: Graph, estimate: Graph): { precision: number; recall: number; f1: number } {
  assertSameNodes(truth, estimate);
  let tp = 0, predicted = 0, actual = 0;
  for (let a = 0; a < truth.n; a++) {
    for (let b = a + 1; b < truth.n; b++) {
      const t = truth.adjacent(a, b), e = estimate.adjacent(a, b);
      if (t) actual++;
      if (e) predicted++;
      if (t && e) tp++;
    }
  }
  return prf(tp, predicted, actual);
}

export const adjacencyPrecision: GraphMetric = { abbrev: "AP", title: "Adjacency precision", value: (t, e) => adjacencyScores(t, e).precision };
export const adjacencyRecall: GraphMetric = { abbrev: "AR", title: "Adjacency recall", value: (t, e) => adjacencyScores(t, e).recall };
export const adjacencyF1: GraphMetric = { abbrev: "AF1", title: "Adjacency F1", value: (t, e) => adjacencyScores(t, e).f1 };

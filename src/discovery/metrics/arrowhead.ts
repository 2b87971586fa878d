import type { Graph } from "../graph.ts";
import { assertSameNodes, prf, type GraphMetric } from "./types.ts";

/**
 * Arrowhead precision/recall/F1: an arrowhead is an (edge, endpoint) with an arrow mark, e.g. a → b has
 * one at b and a ↔ b has two. An estimated arrowhead is correct when the target has an arrowhead at the
 * same end of the same pair. Compare with the CPDAG of the true DAG.
 */
export function arrowheadScores(truth: Graph, estimate: Graph): { precision: number; recall: number; f1: number } {
  assertSameNodes(truth, estimate);
  let tp = 0, predicted = 0, actual = 0;
  for (let a = 0; a < truth.n; a++) {
    for (let b = 0; b < truth.n; b++) {
      if (a === b) continue;
      const t = truth.markAt(b, a) === "arrow", e = estimate.markAt(b, a) === "arrow"; // arrowhead at b on a–b
      if (t) actual++;
      if (e) predicted++;
      if (t && e) tp++;
    }
  }
  return prf(tp, predicted, actual);
}

export const arrowheadPrecision: GraphMetric = { abbrev: "AHP", title: "Arrowhead precision", value: (t, e) => arrowheadScores(t, e).precision };
export const arrowheadRecall: GraphMetric = { abbrev: "AHR", title: "Arrowhead recall", value: (t, e) => arrowheadScores(t, e).recall };
export const arrowheadF1: GraphMetric = { abbrev: "AHF1", title: "Arrowhead F1", value: (t, e) => arrowheadScores(t, e).f1 };

import type { Graph } from "../graph.ts";
import { featureScores, type GraphMetric } from "./types.ts";

/**
 * Arrowhead precision/recall/F1: an arrowhead is an (edge, endpoint) with an arrow mark, e.g. a → b has
 * one at b and a ↔ b has two. An estimated arrowhead is correct when the target has an arrowhead at the
 * same end of the same pair. Compare with the CPDAG of the true DAG.
 */
export function arrowheadScores(truth: Graph, estimate: Graph): { precision: number; recall: number; f1: number } {
  return featureScores(truth, estimate, true, (g, a, b) => g.markAt(b, a) === "arrow"); // arrowhead at b on a–b
}

export const arrowheadPrecision: GraphMetric = { abbrev: "AHP", title: "Arrowhead precision", value: (t, e) => arrowheadScores(t, e).precision };
export const arrowheadRecall: GraphMetric = { abbrev: "AHR", title: "Arrowhead recall", value: (t, e) => arrowheadScores(t, e).recall };
export const arrowheadF1: GraphMetric = { abbrev: "AHF1", title: "Arrowhead F1", value: (t, e) => arrowheadScores(t, e).f1 };

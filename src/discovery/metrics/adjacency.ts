import type { Graph } from "../graph.ts";
import { featureScores, type GraphMetric } from "./types.ts";

/** Adjacency precision/recall/F1: an adjacency is an unordered pair joined by any edge. */
export function adjacencyScores(truth: Graph, estimate: Graph): { precision: number; recall: number; f1: number } {
  return featureScores(truth, estimate, false, (g, a, b) => g.adjacent(a, b));
}

export const adjacencyPrecision: GraphMetric = { abbrev: "AP", title: "Adjacency precision", value: (t, e) => adjacencyScores(t, e).precision };
export const adjacencyRecall: GraphMetric = { abbrev: "AR", title: "Adjacency recall", value: (t, e) => adjacencyScores(t, e).recall };
export const adjacencyF1: GraphMetric = { abbrev: "AF1", title: "Adjacency F1", value: (t, e) => adjacencyScores(t, e).f1 };

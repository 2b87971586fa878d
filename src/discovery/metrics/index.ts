import type { Graph } from "../graph.ts";
import { adjacencyScores } from "./adjacency.ts";
import { arrowheadScores } from "./arrowhead.ts";
import { shd, skeletonShd } from "./shd.ts";

export { shd, skeletonShd, shdMetric, skeletonShdMetric } from "./shd.ts";
export { adjacencyScores, adjacencyPrecision, adjacencyRecall, adjacencyF1 } from "./adjacency.ts";
export { arrowheadScores, arrowheadPrecision, arrowheadRecall, arrowheadF1 } from "./arrowhead.ts";
export type { GraphMetric } from "./types.ts";

export interface GraphComparison {
  shd: number;
  skeletonShd: number;
  adjacency: { precision: number; recall: number; f1: number };
  arrowhead: { precision: number; recall: number; f1: number };
}

/** Every metric at once; `truth` should be the CPDAG of the true DAG (see dagToCpdag). */
export function compareGraphs(truth: Graph, estimate: Graph): GraphComparison {
  return { shd: shd(truth, estimate), skeletonShd: skeletonShd(truth, estimate), adjacency: adjacencyScores(truth, estimate), arrowhead: arrowheadScores(truth, estimate) };
}

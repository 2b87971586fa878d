/** Causal discovery: the graph type, PC-stable with background knowledge, metrics, bootstrap and export. */
export { Graph, type Edge, type Mark } from "./graph.ts";
export { Knowledge, knowledgeFromSpec, parseEdgeRule, parseTiers, type KnowledgeSpec } from "./knowledge.ts";
export { runPc, runPcParallel, type RunPcOptions, type PcData } from "./run-pc.ts";
export { pc, pcAsync, type PcCoreOptions, type PcResult } from "./pc/pc.ts";
export type { CiRecord } from "./pc/ci-runner.ts";
export { dSeparated, dSeparationOracle } from "./d-separation.ts";
export { dagToCpdag } from "./cpdag.ts";
export { randomDag, sampleLinearGaussian, topologicalOrder } from "./random-dag.ts";
export { compareGraphs, shd, skeletonShd, adjacencyScores, arrowheadScores, type GraphComparison } from "./metrics/index.ts";
export { bootstrapPc, type BootstrapResult } from "./bootstrap.ts";
export { graphToJson, graphFromJson, pcResultToJson, adjacencyMatrix, matrixCsv, type GraphJson } from "./export.ts";
export { toDot, renderGraphSvg, renderGraphPng, type DotOptions } from "../report/graph-dot.ts";
export { discoverPc, type DiscoverPcOptions, type DiscoverPcSummary } from "./discover.ts";

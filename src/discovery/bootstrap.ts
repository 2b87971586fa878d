import type { CiQueryFn } from "../citest/types.ts";
import { matrix, type Matrix } from "../linalg/matrix.ts";
import type { Rng } from "../util/rng.ts";
import { Graph } from "./graph.ts";
import { pc, type PcCoreOptions } from "./pc/pc.ts";
import type { ProgressCallback } from "../util/progress.ts";

/** Edge types between a pair a < b, as counted over bootstrap replicates. */
export const edgeTypes = ["none", "a->b", "b->a", "a--b", "a<->b", "other"] as const;
export type EdgeType = (typeof edgeTypes)[number];

export interface PairFrequency {
  a: string;
  b: string;
  /** Fraction of replicates with each edge type (sums to 1). */
  frequency: Record<EdgeType, number>;
  /** The most frequent type (ties go to the earlier type in `edgeTypes`, so "none" wins a tie). */
  consensus: EdgeType;
}

export interface BootstrapResult {
  replicates: number;
  pairs: PairFrequency[];
  /** Each pair takes its most frequent edge type. */
  consensus: Graph;
  /** Fraction of replicates that contain each adjacency, keyed "a|b" (a < b by index). */
  adjacencyFrequency: Map<string, number>;
}

export function edgeTypeOf(g: Graph, a: number, b: number): EdgeType {
  if (!g.adjacent(a, b)) return "none";
  if (g.isDirected(a, b)) return "a->b";
  if (g.isDirected(b, a)) return "b->a";
  if (g.isUndirected(a, b)) return "a--b";
  if (g.isBidirected(a, b)) return "a<->b";
  return "other";
}

/** Rows drawn with replacement (n of n). */
export function resampleRows(data: Matrix, rng: Rng): Matrix {
  const out = matrix(data.rows, data.cols);
  for (let r = 0; r < data.rows; r++) {
    const src = rng.int(data.rows);
    out.data.set(data.data.subarray(src * data.cols, (src + 1) * data.cols), r * data.cols);
  }
  return out;
}

export type BootstrapPcOptions = PcCoreOptions & { replicates: number; rng: Rng; onProgress?: ProgressCallback };

/**
 * One bootstrap replicate: resample the rows with `rng.fork(b)`, prepare the test on the resample, rerun
 * PC, and return the edge type of every pair i < j (row-major). A replicate depends only on the data, the
 * seed and b, so replicates can run anywhere (threads, queue workers) and be summarised together.
 */
export function bootstrapReplicate(data: Matrix, nodes: readonly string[], prepare: (data: Matrix) => CiQueryFn,
  options: PcCoreOptions, rng: Rng, b: number): EdgeType[] {
  const sample = resampleRows(data, rng.fork(b));
  const g = pc(nodes, prepare(sample), { ...options, recordTests: false, onProgress: undefined }).graph; // progress counts replicates
  const types: EdgeType[] = [];
  for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) types.push(edgeTypeOf(g, i, j));
  return types;
}

/**
 * Bootstrap stability of PC: B times, resample the rows with replacement (replicate b uses `rng.fork(b)`,
 * so a replicate does not depend on how many came before), prepare the test on the resample, rerun PC,
 * and count the edge type of every pair. `prepare` builds the CI query for a data matrix.
 */
export function bootstrapPc(data: Matrix, nodes: readonly string[], prepare: (data: Matrix) => CiQueryFn,
  options: BootstrapPcOptions): BootstrapResult {
  const { replicates, rng } = options;
  checkReplicates(replicates);
  const perReplicate: EdgeType[][] = [];
  for (let b = 0; b < replicates; b++) {
    perReplicate.push(bootstrapReplicate(data, nodes, prepare, options, rng, b));
    options.onProgress?.(b + 1, replicates);
  }
  return summarizeBootstrap(nodes, perReplicate);
}

export function checkReplicates(replicates: number): void {
  if (!Number.isInteger(replicates) || replicates < 1) throw new RangeError(`replicates must be a positive integer, got ${replicates}`);
}

/** Edge-type frequencies and the consensus graph from the replicates' edge types (in replicate order). */
export function summarizeBootstrap(nodes: readonly string[], perReplicate: readonly EdgeType[][]): BootstrapResult {
  const replicates = perReplicate.length;
  const n = nodes.length;
  const counts = Array.from({ length: n * n }, () => new Map<EdgeType, number>());
  for (const types of perReplicate) {
    let k = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      const t = types[k++]!, m = counts[i * n + j]!;
      m.set(t, (m.get(t) ?? 0) + 1);
    }
  }
  const consensus = Graph.empty(nodes);
  const pairs: PairFrequency[] = [];
  const adjacencyFrequency = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const m = counts[i * n + j]!;
      const frequency = Object.fromEntries(edgeTypes.map((t) => [t, (m.get(t) ?? 0) / replicates])) as Record<EdgeType, number>;
      let best: EdgeType = "none";
      for (const t of edgeTypes) if (frequency[t] > frequency[best]) best = t;
      if (best === "a->b") consensus.setDirected(i, j);
      else if (best === "b->a") consensus.setDirected(j, i);
      else if (best === "a--b") consensus.setEdge(i, j, "tail", "tail");
      else if (best === "a<->b") consensus.setEdge(i, j, "arrow", "arrow");
      else if (best === "other") consensus.setEdge(i, j, "circle", "circle");
      pairs.push({ a: nodes[i]!, b: nodes[j]!, frequency, consensus: best });
      adjacencyFrequency.set(`${nodes[i]}|${nodes[j]}`, 1 - frequency.none);
    }
  }
  return { replicates, pairs, consensus, adjacencyFrequency };
}

import { Graph } from "../graph.ts";
import type { Knowledge } from "../knowledge.ts";
import { type CiKey, canonicalQuery, type CiRunner, QueryKeys } from "./ci-runner.ts";

/** Separating sets by unordered pair "i,j" (i < j), each a list of sets as causal-learn stores them. */
export type Sepsets = Map<string, number[][]>;

export const pairKey = (i: number, j: number): string => (i < j ? `${i},${j}` : `${j},${i}`);

export interface SkeletonOptions {
  alpha: number;
  /** Largest conditioning-set size; undefined = no limit. */
  maxDepth?: number;
  knowledge?: Knowledge;
  /**
   * Reproduce causal-learn exactly where we deliberately differ (default false): it still runs the CI
   * tests of an edge forbidden in both directions (and discards them), and it tests a required edge like
   * any other, so a required edge can be removed. By default both kinds of pair are decided by the
   * knowledge alone: banned edges are removed and required edges kept, without tests.
   */
  faithful?: boolean;
  /**
   * Whether each depth's yield lists its queries (default true). A sequential run without progress reporting
   * does not need them, and listing them enumerates every subset a second time.
   */
  listQueries?: boolean;
}

export interface SkeletonResult {
  graph: Graph;
  sepsets: Sepsets;
  /** Deepest conditioning-set size examined. */
  depth: number;
}

/** All k-subsets of `items` in itertools.combinations order. */
export function* combinations(items: readonly number[], k: number): Generator<number[]> {
  const n = items.length;
  if (k > n) return;
  const idx = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield idx.map((i) => items[i]!);
    let i = k - 1;
    while (i >= 0 && idx[i] === i + n - k) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1]! + 1;
  }
}

/** Whether the knowledge settles the adjacency x–y so that its tests are skipped. */
function knowledgeDecides(knowledge: Knowledge | undefined, x: number, y: number, faithful: boolean): "banned" | "required" | undefined {
  if (!knowledge || faithful) return undefined;
  if (knowledge.isBanned(x, y)) return "banned";
  if (knowledge.isRequired(x, y) || knowledge.isRequired(y, x)) return "required";
  return undefined;
}

/**
 * The queries one depth of the stable skeleton search will ask, in order, without repeats. In the stable
 * variant the neighbour sets are frozen for the whole depth and no cell stops early, so this list is
 * known before any test runs: a parallel driver evaluates it in worker threads first.
 */
export function depthQueries(graph: Graph, depth: number, knowledge?: Knowledge, faithful = false): CiKey[] {
  const keys = new QueryKeys(graph.n);
  const seen = new Set<number | string>();
  const out: CiKey[] = [];
  for (let x = 0; x < graph.n; x++) {
    const neighbors = graph.neighbors(x);
    if (neighbors.length < depth - 1) continue;
    for (const y of neighbors) {
      if (knowledgeDecides(knowledge, x, y, faithful)) continue;
      for (const S of combinations(neighbors.filter((v) => v !== y), depth)) {
        const key = keys.key(x, y, S);
        if (!seen.has(key)) seen.add(key), out.push(canonicalQuery(x, y, S));
      }
    }
  }
  return out;
}

/**
 * Stable skeleton discovery, mirroring causal-learn 0.1.4.7 SkeletonDiscovery.skeleton_discovery with
 * stable=True: for depth = 0, 1, … while some node has more than depth + 1 neighbours, every node x (in
 * index order) tests each neighbour y against every subset S of its other neighbours of size depth
 * (itertools.combinations order). Removals wait until the depth is finished. Quirks kept on purpose:
 * - a cell does not stop at the first independence; the sepset stored is the *union* of every S that
 *   gave p > alpha in that cell, and it is stored (for both orders) when the pair is marked for removal;
 * - the skip rule is `len(neighbours) < depth − 1`, as causal-learn writes it.
 * Background knowledge that forbids both directions removes the edge at depth 0 with an empty sepset (as
 * causal-learn does); a required edge is never removed. Neither kind of pair is tested unless `faithful`.
 *
 * A generator: before each depth it yields that depth's queries so a driver can prefetch them.
 */
export function* skeletonSteps(nodes: readonly string[], runner: CiRunner, options: SkeletonOptions): Generator<CiKey[], SkeletonResult, void> {
  const { alpha, maxDepth, knowledge } = options;
  const faithful = options.faithful ?? false;
  const graph = Graph.complete(nodes);
  const sepsets: Sepsets = new Map();
  const append = (x: number, y: number, set: number[]) => {
    const key = pairKey(x, y);
    const list = sepsets.get(key);
    if (list) list.push(set);
    else sepsets.set(key, [set]);
  };
  let depth = -1;
  while (graph.maxDegree() - 1 > depth && (maxDepth === undefined || depth < maxDepth)) {
    depth++;
    yield options.listQueries === false ? [] : depthQueries(graph, depth, knowledge, faithful);
    const removal = new Set<string>(); // ordered pairs "x>y", as causal-learn's edge_removal list
    for (let x = 0; x < graph.n; x++) {
      const neighbors = graph.neighbors(x);
      if (neighbors.length < depth - 1) continue;
      for (const y of neighbors) {
        const separating = new Set<number>();
        const decided = knowledgeDecides(knowledge, x, y, faithful);
        // causal-learn (stable): a banned pair is marked for removal and then tested all the same.
        if (decided === "banned" || (faithful && knowledge?.isBanned(x, y))) removal.add(`${x}>${y}`), removal.add(`${y}>${x}`);
        if (decided === undefined) {
          for (const S of combinations(neighbors.filter((v) => v !== y), depth)) {
            if (runner.pValue(x, y, S) > alpha) {
              removal.add(`${x}>${y}`), removal.add(`${y}>${x}`);
              for (const s of S) separating.add(s);
            }
          }
        }
        if (removal.has(`${x}>${y}`)) {
          const set = [...separating].sort((a, b) => a - b);
          // causal-learn appends to sepset[x, y] and sepset[y, x]; both hold the same list, keep one.
          append(x, y, set);
        }
      }
    }
    for (const pair of removal) {
      const [x, y] = pair.split(">").map(Number) as [number, number];
      graph.removeEdge(x, y);
    }
  }
  return { graph, sepsets, depth };
}

/** Runs the skeleton search sequentially. */
export function skeletonDiscovery(nodes: readonly string[], runner: CiRunner, options: SkeletonOptions): SkeletonResult {
  const steps = skeletonSteps(nodes, runner, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

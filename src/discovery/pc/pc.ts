import type { CiQueryFn } from "../../citest/types.ts";
import { UsageError } from "../../errors.ts";
import type { Graph } from "../graph.ts";
import type { Knowledge } from "../knowledge.ts";
import { CiRunner, type CiKey, type CiRecord } from "./ci-runner.ts";
import { orientColliders, type UcPriority, type UcRule } from "./colliders.ts";
import { AcyclicWriter, CausalLearnWriter } from "./edge-writer.ts";
import { orientByKnowledge } from "./knowledge.ts";
import { definiteMeek, meek } from "./meek.ts";
import { skeletonSteps, type Sepsets, type SkeletonResult } from "./skeleton.ts";
import type { ProgressCallback } from "../../util/progress.ts";

export interface PcCoreOptions {
  /** Significance level; an edge is removed when p > alpha. Default 0.05. */
  alpha?: number;
  /** Largest conditioning-set size (causal-learn `max_k`); undefined or −1 = no limit. */
  depth?: number;
  knowledge?: Knowledge;
  /** Unshielded-collider rule: 0 uc_sepset (default), 1 maxP, 2 definite maxP. */
  ucRule?: UcRule;
  /**
   * Collider conflict priority 0..4; default 2 (keep existing orientations), as causal-learn's pc().
   * −1 = causal-learn's default for the rule: 3 for uc_sepset and maxP, 4 for definite maxP.
   */
  ucPriority?: UcPriority | -1;
  /**
   * Reproduce causal-learn 0.1.4.7 where we deliberately differ (default false; docs/PC.md): test banned
   * and required pairs like any other instead of letting the knowledge decide them (SkeletonOptions.faithful),
   * and orient with causal-learn's incomplete ancestor table instead of the complete acyclicity check
   * (edge-writer.ts). Fisher-z's causal-learn p-value is a test option (`tail`), which runPc sets.
   */
  faithful?: boolean;
  /** Keep the log of every CI call (default true). */
  recordTests?: boolean;
  /**
   * Skeleton progress: distinct tests answered so far of the current depth's total, with a note "depth d".
   * Sequential runs report every computed test; parallel runs report each depth when its batch returns.
   */
  onProgress?: ProgressCallback;
}

export interface PcResult {
  nodes: readonly string[];
  /** The output CPDAG (with knowledge applied). */
  graph: Graph;
  /** The undirected skeleton after the adjacency search. */
  skeleton: Graph;
  sepsets: Sepsets;
  /** Every call to the CI test in order (including the ones the cache answered). */
  tests: CiRecord[];
  /** Distinct tests computed. */
  uniqueTests: number;
  /** Deepest conditioning-set size examined. */
  depth: number;
  seconds: number;
}

export function resolvedOptions(options: PcCoreOptions) {
  const alpha = options.alpha ?? 0.05;
  // Option errors are usage errors (exit code 2), with the option names the CLI uses.
  if (!(alpha > 0 && alpha < 1)) throw new UsageError(`alpha must lie in (0, 1), got ${alpha}`, "pass e.g. --alpha 0.05");
  const depth = options.depth === undefined || options.depth < 0 ? undefined : options.depth;
  if (depth !== undefined && !Number.isInteger(depth)) throw new UsageError(`depth must be an integer, got ${depth}`, "pass --depth k with k ≥ 0, or -1 for no limit");
  const ucRule = options.ucRule ?? 0;
  if (![0, 1, 2].includes(ucRule)) throw new UsageError(`ucRule must be 0, 1 or 2, got ${ucRule}`, "pass --uc-rule 0, 1 or 2");
  const requested = options.ucPriority ?? 2;
  if (![-1, 0, 1, 2, 3, 4].includes(requested)) throw new UsageError(`ucPriority must be -1..4, got ${requested}`, "pass --uc-priority 0..4, or -1 for the rule's default");
  // causal-learn's pc() passes no priority for −1, so each rule function's own default applies.
  const ucPriority: UcPriority = requested === -1 ? defaultPriority(ucRule) : requested;
  if (ucRule === 2 && ucPriority < 2) {
    throw new UsageError(`collider rule 2 (definite maxP) supports priorities 2, 3 and 4, got ${ucPriority}`, "pass --uc-priority 2, 3 or 4 with --uc-rule 2");
  }
  return { alpha, depth, ucRule, ucPriority, knowledge: options.knowledge, faithful: options.faithful ?? false };
}

/** The priority causal-learn's collider functions default to: uc_sepset 3, maxp 3, definite_maxp 4. */
export function defaultPriority(rule: UcRule): UcPriority {
  return rule === 2 ? 4 : 3;
}

/**
 * The orientation half of PC, as causal-learn 0.1.4.7 PC.pc_alg runs it after the skeleton: background
 * knowledge, then colliders (uc_rule / uc_priority), then Meek (definite Meek first for rule 2).
 */
function orient(sk: SkeletonResult, runner: CiRunner, o: ReturnType<typeof resolvedOptions>): Graph {
  let g = sk.graph;
  const writer = o.faithful ? new CausalLearnWriter(g.n) : new AcyclicWriter();
  if (o.knowledge) g = orientByKnowledge(g, o.knowledge, writer);
  const uc = orientColliders(o.ucRule, g, o.ucPriority, { sepsets: sk.sepsets, runner, knowledge: o.knowledge, alpha: o.alpha, writer });
  g = uc.graph;
  if (o.ucRule === 2) g = definiteMeek(g, uc.definiteColliders, uc.definiteNonColliders, o.knowledge, writer);
  return meek(g, o.knowledge, writer);
}

/**
 * PC-stable over `nodes` with a prepared CI query (a registry test, the d-separation oracle, a replay of
 * recorded p-values…). Sequential. See `pcAsync` for the driver that prefetches each depth's tests.
 */
export function pc(nodes: readonly string[], query: CiQueryFn, options: PcCoreOptions = {}): PcResult {
  const started = performance.now();
  const o = resolvedOptions(options);
  const runner = new CiRunner(query, options.recordTests ?? true);
  runner.setNodeCount(nodes.length);
  const report = options.onProgress;
  const steps = skeletonSteps(nodes, runner, { alpha: o.alpha, maxDepth: o.depth, knowledge: o.knowledge, faithful: o.faithful, listQueries: report !== undefined });
  let depth = -1, done = 0, total = 0;
  if (report) runner.onCompute = () => report(++done, total, `depth ${depth}`);
  let step = steps.next();
  while (!step.done) {
    depth++, done = 0, total = step.value.length;
    report?.(0, total, `depth ${depth}`);
    step = steps.next();
  }
  runner.onCompute = undefined;
  return finish(nodes, step.value, runner, o, started);
}

/**
 * The same algorithm; before each depth, `prefetch` receives the depth's distinct queries that are not
 * yet known and returns their p-values (e.g. computed in worker threads). The run then proceeds exactly
 * as `pc` does, answering from those values, so the result and the test log equal the sequential run's.
 */
export async function pcAsync(nodes: readonly string[], query: CiQueryFn, options: PcCoreOptions,
  prefetch: (queries: CiKey[]) => Promise<number[]>): Promise<PcResult> {
  const started = performance.now();
  const o = resolvedOptions(options);
  const runner = new CiRunner(query, options.recordTests ?? true);
  runner.setNodeCount(nodes.length);
  const steps = skeletonSteps(nodes, runner, { alpha: o.alpha, maxDepth: o.depth, knowledge: o.knowledge, faithful: o.faithful });
  let step = steps.next();
  let depth = -1;
  while (!step.done) {
    depth++;
    const wanted = step.value.filter((q) => !runner.knows(q));
    options.onProgress?.(0, wanted.length, `depth ${depth}`);
    if (wanted.length > 0) {
      const ps = await prefetch(wanted);
      wanted.forEach((q, i) => runner.prefetch(q, ps[i]!));
    }
    options.onProgress?.(wanted.length, wanted.length, `depth ${depth}`);
    step = steps.next();
  }
  return finish(nodes, step.value, runner, o, started);
}

function finish(nodes: readonly string[], sk: SkeletonResult, runner: CiRunner, o: ReturnType<typeof resolvedOptions>, started: number): PcResult {
  const graph = orient(sk, runner, o);
  return {
    nodes, graph, skeleton: sk.graph, sepsets: sk.sepsets, tests: runner.log, uniqueTests: runner.uniqueTests, depth: sk.depth,
    seconds: (performance.now() - started) / 1000,
  };
}

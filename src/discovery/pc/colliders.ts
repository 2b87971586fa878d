import type { Graph } from "../graph.ts";
import type { Knowledge } from "../knowledge.ts";
import type { CiRunner } from "./ci-runner.ts";
import { AcyclicWriter, edgeMarks, restoreEdge, type EdgeWriter } from "./edge-writer.ts";

const acyclic = new AcyclicWriter();
import { conditioningSets, unshieldedTriples, type Triple } from "./patterns.ts";
import { pairKey, type Sepsets } from "./skeleton.ts";

/**
 * Unshielded-collider orientation, mirroring causal-learn 0.1.4.7 causallearn/utils/PCUtils/UCSepset.py.
 *
 * rule 0 `uc_sepset`: x – y – z is a collider when y is in none of the stored sepsets of (x, z).
 * rule 1 `maxp`: a collider when the largest p(x ⫫ z | S) over S ∌ y beats the largest over S ∋ y.
 * rule 2 `definite_maxp`: like maxp but only for definite decisions at alpha; also records definite
 *   non-colliders for `definiteMeek`.
 * priority (conflicts between colliders): 0 overwrite, 1 orient bi-directed, 2 keep existing
 * orientations, 3 strongest collider first (ascending p with y), 4 ascending p without y, descending.
 */
export type UcRule = 0 | 1 | 2;
export type UcPriority = 0 | 1 | 2 | 3 | 4;

export interface ColliderContext {
  sepsets: Sepsets;
  runner: CiRunner;
  knowledge?: Knowledge;
  alpha: number;
  /** How edges are changed (causal-learn's bookkeeping or, by default, the acyclic policy); see edge-writer.ts. */
  writer?: EdgeWriter;
}

export interface ColliderResult {
  graph: Graph;
  definiteColliders: Triple[];
  definiteNonColliders: Triple[];
}

/** causal-learn skips a triple whose collider orientation contradicts the knowledge. */
function knowledgeBlocks(k: Knowledge | undefined, [x, y, z]: Triple): boolean {
  return !!k && (k.isForbidden(x, y) || k.isForbidden(z, y) || k.isRequired(y, x) || k.isRequired(y, z));
}

/**
 * Applies a collider's edge changes, then lets the writer veto it (the default undoes a collider whose
 * arrows would close a directed cycle). Returns whether the change was kept.
 */
function guarded(g: Graph, [x, y, z]: Triple, w: EdgeWriter, change: () => void): boolean {
  const before = [edgeMarks(g, x, y), edgeMarks(g, z, y)] as const;
  change();
  if (w.keepCollider(g, y, [x, z])) return true;
  restoreEdge(g, x, y, before[0]);
  restoreEdge(g, z, y, before[1]);
  return false;
}

/** x → y ← z unless an edge already points out of y (priorities 2, 3, 4). */
function orientIfFree(g: Graph, t: Triple, w: EdgeWriter): boolean {
  const [x, y, z] = t;
  if (g.isDirected(y, x) || g.isDirected(y, z)) return false;
  return guarded(g, t, w, () => {
    w.orient(g, x, y);
    w.orient(g, z, y);
  });
}

/** Priority 1: an undirected edge becomes a → y; an edge y → a becomes a ↔ y; anything else stays. */
function orientOrBidirect(g: Graph, a: number, y: number, w: EdgeWriter): void {
  if (g.isUndirected(a, y)) w.orient(g, a, y);
  else if (g.markAt(a, y) === "arrow" && g.markAt(y, a) === "tail") w.bidirect(g, a, y);
}

function applyPriority(g: Graph, t: Triple, priority: 0 | 1 | 2, w: EdgeWriter): void {
  const [x, y, z] = t;
  if (priority === 0) {
    guarded(g, t, w, () => {
      w.orient(g, x, y);
      w.orient(g, z, y);
    });
  } else if (priority === 1) {
    guarded(g, t, w, () => {
      orientOrBidirect(g, x, y, w);
      orientOrBidirect(g, z, y, w);
    });
  } else {
    orientIfFree(g, t, w);
  }
}

/** Python's sorted(dict.items(), key=value, reverse=descending): stable, ties keep insertion order. */
function sortByScore(entries: Array<[Triple, number]>, descending: boolean): Triple[] {
  return entries
    .map((e, i) => ({ t: e[0], p: e[1], i }))
    .sort((a, b) => (descending ? b.p - a.p : a.p - b.p) || a.i - b.i)
    .map((e) => e.t);
}

function maxP(ctx: ColliderContext, x: number, z: number, sets: number[][]): number {
  let best = -Infinity;
  for (const S of sets) best = Math.max(best, ctx.runner.pValue(x, z, S));
  return best;
}

/** Triples (x, y, z) with x < z, in causal-learn's order. */
const orderedTriples = (g: Graph) => unshieldedTriples(g).filter(([x, , z]) => x < z);

export function ucSepset(input: Graph, priority: UcPriority, ctx: ColliderContext): ColliderResult {
  const g = input.clone();
  const pending: Triple[] = [];
  for (const t of orderedTriples(g)) {
    if (knowledgeBlocks(ctx.knowledge, t)) continue;
    const [x, y, z] = t;
    const sets = ctx.sepsets.get(pairKey(x, z)) ?? [];
    if (sets.every((S) => !S.includes(y))) {
      if (priority <= 2) applyPriority(g, t, priority as 0 | 1 | 2, ctx.writer ?? acyclic);
      else pending.push(t);
    }
  }
  if (priority >= 3) {
    const scored: Array<[Triple, number]> = pending.map((t) => {
      const sets = conditioningSets(g, t[0], t[2]).filter((S) => (priority === 3) === S.includes(t[1]));
      return [t, maxP(ctx, t[0], t[2], sets)];
    });
    for (const t of sortByScore(scored, priority === 4)) {
      if (!knowledgeBlocks(ctx.knowledge, t)) orientIfFree(g, t, ctx.writer ?? acyclic);
    }
  }
  return { graph: g, definiteColliders: [], definiteNonColliders: [] };
}

/**
 * causal-learn's maxp with priority 1 tests `if edge is None` before converting the edge (an inverted
 * check that leaves the edge as it was and adds a duplicate); we apply the documented rule instead.
 */
export function maxp(input: Graph, priority: UcPriority, ctx: ColliderContext): ColliderResult {
  const g = input.clone();
  const scored: Array<[Triple, number]> = [];
  for (const t of orderedTriples(g)) {
    if (knowledgeBlocks(ctx.knowledge, t)) continue;
    const [x, y, z] = t;
    const sets = conditioningSets(g, x, z);
    const withY = maxP(ctx, x, z, sets.filter((S) => S.includes(y)));
    const withoutY = maxP(ctx, x, z, sets.filter((S) => !S.includes(y)));
    if (withoutY > withY) {
      if (priority <= 2) applyPriority(g, t, priority as 0 | 1 | 2, ctx.writer ?? acyclic);
      else scored.push([t, priority === 3 ? withY : withoutY]);
    }
  }
  if (priority >= 3) {
    for (const t of sortByScore(scored, priority === 4)) if (!knowledgeBlocks(ctx.knowledge, t)) orientIfFree(g, t, ctx.writer ?? acyclic);
  }
  return { graph: g, definiteColliders: [], definiteNonColliders: [] };
}

export function definiteMaxp(input: Graph, priority: UcPriority, ctx: ColliderContext): ColliderResult {
  if (priority < 2) throw new RangeError(`definite_maxp supports priorities 2, 3, 4; got ${priority}`);
  const g = input.clone();
  const scored: Array<[Triple, number]> = [];
  const definiteColliders: Triple[] = [], definiteNonColliders: Triple[] = [];
  for (const t of orderedTriples(g)) {
    const [x, y, z] = t;
    const sets = conditioningSets(g, x, z);
    let maxWith = 0, maxWithout = 0, collider = true, nonCollider = true;
    for (const S of sets.filter((S) => S.includes(y))) {
      const p = ctx.runner.pValue(x, z, S);
      if (p > ctx.alpha) {
        collider = false;
        break;
      } else if (p > maxWith) maxWith = p;
    }
    for (const S of sets.filter((S) => !S.includes(y))) {
      const p = ctx.runner.pValue(x, z, S);
      if (p > ctx.alpha) {
        nonCollider = false;
        if (!collider) break; // ambiguous triple
      }
      if (p > maxWithout) maxWithout = p;
    }
    const score = priority === 4 ? maxWithout : maxWith;
    if (collider) {
      if (!nonCollider || maxWithout > maxWith) scored.push([t, score]);
      else definiteNonColliders.push(t);
    } else if (nonCollider) definiteNonColliders.push(t);
  }
  const order = priority === 2 ? scored.map((e) => e[0]) : sortByScore(scored, priority === 4);
  for (const t of order) {
    if (knowledgeBlocks(ctx.knowledge, t)) continue;
    if (orientIfFree(g, t, ctx.writer ?? acyclic)) definiteColliders.push(t);
  }
  return { graph: g, definiteColliders, definiteNonColliders };
}

export function orientColliders(rule: UcRule, graph: Graph, priority: UcPriority, ctx: ColliderContext): ColliderResult {
  if (rule === 0) return ucSepset(graph, priority, ctx);
  if (rule === 1) return maxp(graph, priority, ctx);
  return definiteMaxp(graph, priority, ctx);
}

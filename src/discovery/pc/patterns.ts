import type { Graph } from "../graph.ts";

/**
 * The local patterns the orientation rules walk, listed in the exact order causal-learn's CausalGraph
 * produces them (find_unshielded_triples, find_triangles, find_kites: filters over
 * itertools.permutations of find_adj()). The order matters when rules conflict, so we reproduce it;
 * buckets keyed by the shared node avoid the quadratic scan without changing the order.
 */
export type Triple = [number, number, number];
export type Kite = [number, number, number, number];

function bucketByFirst(adj: Array<[number, number]>, n: number): number[][] {
  const buckets: number[][] = Array.from({ length: n }, () => []);
  adj.forEach((pair, index) => buckets[pair[0]]!.push(index));
  return buckets;
}

/**
 * Paths i – j – k (i ≠ k) whose ends are adjacent (`closed`: triangles) or not (unshielded triples), in
 * causal-learn's permutation order.
 */
function pathsOfTwo(g: Graph, closed: boolean): Triple[] {
  const adj = g.causalLearnAdjacencies();
  const buckets = bucketByFirst(adj, g.n);
  const out: Triple[] = [];
  adj.forEach(([i, j], a) => {
    for (const b of buckets[j]!) {
      if (b === a) continue;
      const k = adj[b]![1];
      if (i !== k && g.adjacent(i, k) === closed) out.push([i, j, k]);
    }
  });
  return out;
}

/** (i, j, k) with i – j – k and i, k not adjacent; both orders (i, k) and (k, i) appear. */
export function unshieldedTriples(g: Graph): Triple[] {
  return pathsOfTwo(g, false);
}

/** (i, j, k) with i – j – k – i (every rotation and direction). */
export function triangles(g: Graph): Triple[] {
  return pathsOfTwo(g, true);
}

/** (i, j, k, l): triangles i–j–l and i–k–l with j < k and j, k not adjacent. */
export function kites(g: Graph): Kite[] {
  const tri = triangles(g);
  const byEnds = new Map<string, number[]>();
  tri.forEach((t, index) => {
    const key = `${t[0]},${t[2]}`;
    const list = byEnds.get(key);
    if (list) list.push(index);
    else byEnds.set(key, [index]);
  });
  const out: Kite[] = [];
  tri.forEach((t1, a) => {
    for (const b of byEnds.get(`${t1[0]},${t1[2]}`)!) {
      if (b === a) continue;
      const t2 = tri[b]!;
      if (t1[1] < t2[1] && !g.adjacent(t1[1], t2[1])) out.push([t1[0], t1[1], t2[1], t1[2]]);
    }
  });
  return out;
}

/**
 * Every subset of neighbours(i) and every subset of neighbours(j), without repeats (causal-learn
 * find_cond_sets). causal-learn returns them in Python set order; we sort by size then lexicographically.
 */
export function conditioningSets(g: Graph, i: number, j: number): number[][] {
  const seen = new Map<string, number[]>();
  for (const base of [g.neighbors(i), g.neighbors(j)]) {
    const m = base.length;
    for (let mask = 0; mask < 1 << m; mask++) {
      const set = base.filter((_, b) => mask & (1 << b));
      seen.set(set.join(","), set);
    }
  }
  return [...seen.values()].sort((a, b) => a.length - b.length || compareLex(a, b));
}

function compareLex(a: number[], b: number[]): number {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
  return 0;
}

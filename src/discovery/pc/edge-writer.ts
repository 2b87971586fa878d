import type { Graph, Mark } from "../graph.ts";

/**
 * How the orientation steps (knowledge, colliders, Meek) change edges after the skeleton, and which
 * orientations they may make. Two policies:
 * - `AcyclicWriter` (default): a Meek rule never orients j → k when k already reaches j along directed
 *   edges, and a collider whose arrows would close a directed cycle is left out, so the output never
 *   holds a directed cycle.
 * - `CausalLearnWriter` (`faithful`): causal-learn 0.1.4.7's own bookkeeping. GeneralGraph keeps an
 *   ancestor table (`dpath`) that is updated one step at a time when an edge is directed and rebuilt
 *   from the edge list when a directed edge is removed; Meek skips j → k when that table says k is an
 *   ancestor of j. The table is incomplete (see AncestorTable), so causal-learn both skips some safe
 *   orientations and misses some cycles. See docs/PC.md, difference B.
 */
export interface EdgeWriter {
  /** a → b in place of the edge a–b (causal-learn: remove_edge, then add_edge(TAIL, ARROW)). */
  orient(g: Graph, a: number, b: number): void;
  /** a ↔ b in place of the edge a–b. */
  bidirect(g: Graph, a: number, b: number): void;
  /** Whether a Meek rule may orient the undirected edge a – b as a → b. */
  mayOrient(g: Graph, a: number, b: number): boolean;
  /** After a collider put arrows into `y` from `sources`: whether to keep it (false = the caller undoes it). */
  keepCollider(g: Graph, y: number, sources: readonly number[]): boolean;
}

/** Whether a directed path from `from` to `to` exists (only fully directed edges count). */
export function reaches(g: Graph, from: number, to: number): boolean {
  if (from === to) return true;
  const seen = new Uint8Array(g.n);
  const stack = [from];
  seen[from] = 1;
  while (stack.length) {
    const u = stack.pop()!;
    for (let v = 0; v < g.n; v++) {
      if (seen[v] || !g.isDirected(u, v)) continue;
      if (v === to) return true;
      seen[v] = 1;
      stack.push(v);
    }
  }
  return false;
}

/** Whether the graph holds a directed cycle. */
export function hasDirectedCycle(g: Graph): boolean {
  for (let a = 0; a < g.n; a++) for (let b = 0; b < g.n; b++) if (g.isDirected(a, b) && reaches(g, b, a)) return true;
  return false;
}

export class AcyclicWriter implements EdgeWriter {
  orient(g: Graph, a: number, b: number): void {
    g.setDirected(a, b);
  }

  bidirect(g: Graph, a: number, b: number): void {
    g.setEdge(a, b, "arrow", "arrow");
  }

  mayOrient(g: Graph, a: number, b: number): boolean {
    return !reaches(g, b, a);
  }

  keepCollider(g: Graph, y: number, sources: readonly number[]): boolean {
    return sources.every((s) => !g.isDirected(s, y) || !reaches(g, y, s));
  }
}

/**
 * causal-learn's GeneralGraph.dpath, ported with its update order. `dpath[j * n + i] = 1` means "i is an
 * ancestor of j". Adding i → j (adjust_dpath) marks i as an ancestor of j, every recorded ancestor of i
 * as an ancestor of j, and i as an ancestor of every recorded descendant of j, but not the ancestors
 * of i as ancestors of j's descendants: chains built in some orders are missed.
 */
export class AncestorTable {
  private readonly dpath: Uint8Array;

  constructor(readonly n: number) {
    this.dpath = new Uint8Array(n * n);
    this.reset();
  }

  private reset(): void {
    this.dpath.fill(0);
    for (let i = 0; i < this.n; i++) this.dpath[i * this.n + i] = 1;
  }

  /** GeneralGraph.adjust_dpath(i, j), run when i → j is added. */
  adjust(i: number, j: number): void {
    const n = this.n, d = this.dpath;
    d[j * n + i] = 1;
    for (let k = 0; k < n; k++) {
      if (d[i * n + k] === 1) d[j * n + k] = 1;
      if (d[k * n + j] === 1) d[k * n + i] = 1;
    }
  }

  /**
   * GeneralGraph.reconstitute_dpath(get_graph_edges()), run when a directed edge is removed: the table
   * restarts from the identity and replays the directed edges, popping the edge list (pairs i < j in
   * row-major order) from its end.
   */
  rebuild(g: Graph): void {
    this.reset();
    for (let i = this.n - 1; i >= 0; i--) {
      for (let j = this.n - 1; j > i; j--) {
        if (g.isDirected(i, j)) this.adjust(i, j);
        else if (g.isDirected(j, i)) this.adjust(j, i);
      }
    }
  }

  /** GeneralGraph.is_ancestor_of(a, b). */
  isAncestorOf(a: number, b: number): boolean {
    return this.dpath[b * this.n + a] === 1;
  }
}

export class CausalLearnWriter implements EdgeWriter {
  readonly ancestors: AncestorTable;

  constructor(n: number) {
    this.ancestors = new AncestorTable(n);
  }

  /** GeneralGraph.remove_edge: removing a directed edge rebuilds the ancestor table. */
  private remove(g: Graph, a: number, b: number): void {
    const directed = g.isDirected(a, b) || g.isDirected(b, a);
    g.removeEdge(a, b);
    if (directed) this.ancestors.rebuild(g);
  }

  orient(g: Graph, a: number, b: number): void {
    this.remove(g, a, b);
    g.setDirected(a, b);
    this.ancestors.adjust(a, b);
  }

  bidirect(g: Graph, a: number, b: number): void {
    this.remove(g, a, b);
    g.setEdge(a, b, "arrow", "arrow");
  }

  mayOrient(_g: Graph, a: number, b: number): boolean {
    return !this.ancestors.isAncestorOf(b, a);
  }

  keepCollider(): boolean {
    return true;
  }
}

/** The marks of edge a–b, to undo a change: null when a and b are not adjacent. */
export function edgeMarks(g: Graph, a: number, b: number): [Mark, Mark] | null {
  const atA = g.markAt(a, b);
  return atA ? [atA, g.markAt(b, a)!] : null;
}

export function restoreEdge(g: Graph, a: number, b: number, marks: [Mark, Mark] | null): void {
  if (marks) g.setEdge(a, b, marks[0], marks[1]);
  else g.removeEdge(a, b);
}

import type { Graph } from "../graph.ts";
import type { Knowledge } from "../knowledge.ts";
import { AcyclicWriter, type EdgeWriter } from "./edge-writer.ts";
import { kites, triangles, unshieldedTriples, type Triple } from "./patterns.ts";

/** causal-learn leaves a → b unoriented when the knowledge forbids a → b or requires b → a. */
const blocked = (k: Knowledge | undefined, a: number, b: number) => !!k && (k.isForbidden(a, b) || k.isRequired(b, a));

/** Orients the undirected edge a – b as a → b unless the writer's acyclicity check says no. */
function tryOrient(g: Graph, w: EdgeWriter, a: number, b: number): boolean {
  if (!w.mayOrient(g, a, b)) return false;
  w.orient(g, a, b);
  return true;
}

/**
 * Meek's orientation rules R1–R3, mirroring causal-learn 0.1.4.7 causallearn/utils/PCUtils/Meek.py
 * meek(): the triples, triangles and kites are listed once from the input graph and swept in that order
 * until a full sweep changes nothing.
 * R1: i → j – k, i and k not adjacent ⇒ j → k.
 * R2: i → j → k and i – k ⇒ i → k.
 * R3: i – j → l, i – k → l, i – l, j and k not adjacent ⇒ i → l.
 * Before each orientation the writer checks acyclicity: causal-learn's incomplete ancestor table
 * (`faithful`) or a complete reachability test (default); see edge-writer.ts.
 */
export function meek(input: Graph, knowledge?: Knowledge, writer: EdgeWriter = new AcyclicWriter()): Graph {
  const g = input.clone();
  const ut = unshieldedTriples(g), tri = triangles(g), kite = kites(g);
  let changed = true;
  while (changed) {
    changed = false;
    for (const [i, j, k] of ut) {
      if (g.isDirected(i, j) && g.isUndirected(j, k) && !blocked(knowledge, j, k) && tryOrient(g, writer, j, k)) changed = true;
    }
    if (meekR2(g, tri, knowledge, writer)) changed = true;
    for (const [i, j, k, l] of kite) {
      if (g.isUndirected(i, j) && g.isUndirected(i, k) && g.isDirected(j, l) && g.isDirected(k, l) && g.isUndirected(i, l) &&
        !blocked(knowledge, i, l) && tryOrient(g, writer, i, l)) {
        changed = true;
      }
    }
  }
  return g;
}

/** R2 over the listed triangles: i → j → k and i – k ⇒ i → k. Returns whether anything was oriented. */
function meekR2(g: Graph, tri: readonly Triple[], knowledge: Knowledge | undefined, writer: EdgeWriter): boolean {
  let changed = false;
  for (const [i, j, k] of tri) {
    if (g.isDirected(i, j) && g.isDirected(j, k) && g.isUndirected(i, k) && !blocked(knowledge, i, k) && tryOrient(g, writer, i, k)) changed = true;
  }
  return changed;
}

const has = (list: Triple[], t: Triple) => list.some((u) => u[0] === t[0] && u[1] === t[1] && u[2] === t[2]);

/**
 * Meek rules over definite triples (causal-learn Meek.definite_meek, used after definite_maxp): R1 only on
 * definite non-colliders (in either direction), R2 as usual, R3 only when the kite's sides are a definite
 * collider and a definite non-collider.
 */
export function definiteMeek(input: Graph, definiteColliders: Triple[], definiteNonColliders: Triple[], knowledge?: Knowledge,
  writer: EdgeWriter = new AcyclicWriter()): Graph {
  const g = input.clone();
  const tri = triangles(g), kite = kites(g);
  let changed = true;
  while (changed) {
    changed = false;
    for (const [i, j, k] of definiteNonColliders) {
      // causal-learn: an if/elif whose taken branch `continue`s when the ancestor check fails.
      if (g.isDirected(i, j) && g.isUndirected(j, k) && !blocked(knowledge, j, k)) {
        if (tryOrient(g, writer, j, k)) changed = true;
      } else if (g.isDirected(k, j) && g.isUndirected(j, i) && !blocked(knowledge, j, i)) {
        if (tryOrient(g, writer, j, i)) changed = true;
      }
    }
    if (meekR2(g, tri, knowledge, writer)) changed = true;
    for (const [i, j, k, l] of kite) {
      if ((has(definiteColliders, [j, l, k]) || has(definiteColliders, [k, l, j])) &&
        (has(definiteNonColliders, [j, i, k]) || has(definiteNonColliders, [k, i, j])) && g.isUndirected(i, l) &&
        !blocked(knowledge, i, l) && tryOrient(g, writer, i, l)) {
        changed = true;
      }
    }
  }
  return g;
}

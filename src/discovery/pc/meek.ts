import type { Graph } from "../graph.ts";
import type { Knowledge } from "../knowledge.ts";
import { kites, triangles, unshieldedTriples, type Triple } from "./patterns.ts";

/** causal-learn leaves a → b unoriented when the knowledge forbids a → b or requires b → a. */
const blocked = (k: Knowledge | undefined, a: number, b: number) => !!k && (k.isForbidden(a, b) || k.isRequired(b, a));

/**
 * Meek's orientation rules R1–R3, mirroring causal-learn 0.1.4.7 causallearn/utils/PCUtils/Meek.py
 * meek(): the triples, triangles and kites are listed once from the input graph and swept in that order
 * until a full sweep changes nothing.
 * R1: i → j – k, i and k not adjacent ⇒ j → k.
 * R2: i → j → k and i – k ⇒ i → k.
 * R3: i – j → l, i – k → l, i – l, j and k not adjacent ⇒ i → l.
 */
export function meek(input: Graph, knowledge?: Knowledge): Graph {
  const g = input.clone();
  const ut = unshieldedTriples(g), tri = triangles(g), kite = kites(g);
  let changed = true;
  while (changed) {
    changed = false;
    for (const [i, j, k] of ut) {
      if (g.isDirected(i, j) && g.isUndirected(j, k) && !blocked(knowledge, j, k)) {
        g.setDirected(j, k);
        changed = true;
      }
    }
    if (meekR2(g, tri, knowledge)) changed = true;
    for (const [i, j, k, l] of kite) {
      if (g.isUndirected(i, j) && g.isUndirected(i, k) && g.isDirected(j, l) && g.isDirected(k, l) && g.isUndirected(i, l) &&
        !blocked(knowledge, i, l)) {
        g.setDirected(i, l);
        changed = true;
      }
    }
  }
  return g;
}

/** R2 over the listed triangles: i → j → k and i – k ⇒ i → k. Returns whether anything was oriented. */
function meekR2(g: Graph, tri: readonly Triple[], knowledge: Knowledge | undefined): boolean {
  let changed = false;
  for (const [i, j, k] of tri) {
    if (g.isDirected(i, j) && g.isDirected(j, k) && g.isUndirected(i, k) && !blocked(knowledge, i, k)) {
      g.setDirected(i, k);
      changed = true;
    }
  }
  return changed;
}

const has = (list: Triple[], t: Triple) => list.some((u) => u[0] === t[0] && u[1] === t[1] && u[2] === t[2]);

/**
 * Meek rules over definite triples (causal-learn Meek.definite_meek, used after definite_maxp): R1 only on
 * definite non-colliders (in either direction), R2 as usual, R3 only when the kite's sides are a definite
 * collider and a definite non-collider.
 */
export function definiteMeek(input: Graph, definiteColliders: Triple[], definiteNonColliders: Triple[], knowledge?: Knowledge): Graph {
  const g = input.clone();
  const tri = triangles(g), kite = kites(g);
  let changed = true;
  while (changed) {
    changed = false;
    for (const [i, j, k] of definiteNonColliders) {
      if (g.isDirected(i, j) && g.isUndirected(j, k) && !blocked(knowledge, j, k)) {
        g.setDirected(j, k);
        changed = true;
      } else if (g.isDirected(k, j) && g.isUndirected(j, i) && !blocked(knowledge, j, i)) {
        g.setDirected(j, i);
        changed = true;
      }
    }
    if (meekR2(g, tri, knowledge)) changed = true;
    for (const [i, j, k, l] of kite) {
      if ((has(definiteColliders, [j, l, k]) || has(definiteColliders, [k, l, j])) &&
        (has(definiteNonColliders, [j, i, k]) || has(definiteNonColliders, [k, i, j])) && g.isUndirected(i, l) &&
        !blocked(knowledge, i, l)) {
        g.setDirected(i, l);
        changed = true;
      }
    }
  }
  return g;
}

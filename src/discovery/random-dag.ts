import { matrix, type Matrix } from "../linalg/matrix.ts";
import type { Rng } from "../util/rng.ts";
import { Graph } from "./graph.ts";

/**
 * A random DAG: a random causal order, then each forward pair becomes an edge with `edgeProbability`
 * (Erdős–Rényi over the order). Nodes are named X1..Xn unless `nodes` is given.
 */
export function randomDag(n: number, edgeProbability: number, rng: Rng, nodes?: readonly string[]): Graph {
  const order = rng.permutation(n);
  const g = Graph.empty(nodes ?? Array.from({ length: n }, (_, i) => `X${i + 1}`));
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (rng.uniform() < edgeProbability) g.setDirected(order[a]!, order[b]!);
  return g;
}

/** Nodes of a DAG in a topological order (throws on a cycle). */
export function topologicalOrder(dag: Graph): number[] {
  const indegree = Array.from({ length: dag.n }, (_, j) => dag.parents(j).length);
  const ready = indegree.flatMap((d, j) => (d === 0 ? [j] : []));
  const out: number[] = [];
  while (ready.length) {
    const v = ready.shift()!;
    out.push(v);
    for (let c = 0; c < dag.n; c++) if (dag.isDirected(v, c) && --indegree[c]! === 0) ready.push(c);
  }
  if (out.length !== dag.n) throw new RangeError("the graph has a directed cycle");
  return out;
}

/**
 * Linear-Gaussian data from a DAG: X_j = Σ_parents w_ij X_i + ε_j, weights uniform on ±[0.5, 1.5],
 * ε_j ~ N(0, 1). Returns the weights so callers can report them.
 */
export function sampleLinearGaussian(dag: Graph, rows: number, rng: Rng): { data: Matrix; weights: number[][] } {
  const n = dag.n;
  const weights = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) for (const i of dag.parents(j)) weights[i]![j] = (rng.uniform() < 0.5 ? -1 : 1) * rng.uniformIn(0.5, 1.5);
  const order = topologicalOrder(dag);
  const data = matrix(rows, n);
  for (let r = 0; r < rows; r++) {
    for (const j of order) {
      let v = rng.normal();
      for (let i = 0; i < n; i++) if (weights[i]![j] !== 0) v += weights[i]![j]! * data.data[r * n + i]!;
      data.data[r * n + j] = v;
    }
  }
  return { data, weights };
}

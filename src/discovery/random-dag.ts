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

/**
 * A random DAG with exactly `arcs` edges: a random causal order, then forward pairs drawn uniformly
 * without replacement, skipping any that would give a node more than `maxParents` parents.
 */
export function randomDagWithArcs(n: number, arcs: number, rng: Rng, maxParents = n, nodes?: readonly string[]): Graph {
  const order = rng.permutation(n);
  const g = Graph.empty(nodes ?? Array.from({ length: n }, (_, i) => `X${i + 1}`));
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) pairs.push([order[a]!, order[b]!]);
  const parents = new Int32Array(n);
  let placed = 0;
  for (let k = pairs.length - 1; k >= 0 && placed < arcs; k--) {
    const pick = rng.int(k + 1);
    const [from, to] = pairs[pick]!;
    pairs[pick] = pairs[k]!;
    if (parents[to]! >= maxParents) continue;
    g.setDirected(from, to);
    parents[to]!++;
    placed++;
  }
  if (placed < arcs) throw new RangeError(`cannot place ${arcs} arcs on ${n} nodes with at most ${maxParents} parents each`);
  return g;
}

/** A Gamma(shape, 1) draw (Marsaglia–Tsang; shape < 1 via the boost U^(1/shape)). */
function gammaDraw(shape: number, rng: Rng): number {
  if (shape < 1) return gammaDraw(shape + 1, rng) * Math.pow(rng.uniform(), 1 / shape);
  const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0, u = rng.uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * Discrete data from a DAG (a Bayesian network with random conditional probability tables): node j
 * takes values 0..cardinalities[j]−1; for every configuration of its parents the distribution is a
 * Dirichlet(concentration) draw. Rows are drawn by forward sampling in a topological order.
 */
export function sampleDiscrete(dag: Graph, cardinalities: readonly number[], rows: number, rng: Rng, concentration = 1): Matrix {
  const n = dag.n;
  const order = topologicalOrder(dag);
  const parentsOf = Array.from({ length: n }, (_, j) => dag.parents(j));
  // cpt[j][config * k + v] = cumulative P(X_j ≤ v | parents in config), configs in mixed radix of the parents.
  const cpt = parentsOf.map((parents, j) => {
    const k = cardinalities[j]!;
    const configs = parents.reduce((m, p) => m * cardinalities[p]!, 1);
    const table = new Float64Array(configs * k);
    for (let c = 0; c < configs; c++) {
      let total = 0;
      for (let v = 0; v < k; v++) total += table[c * k + v] = gammaDraw(concentration, rng);
      let cumulative = 0;
      for (let v = 0; v < k; v++) table[c * k + v] = cumulative += table[c * k + v]! / total;
      table[c * k + k - 1] = 1;
    }
    return table;
  });
  const data = matrix(rows, n);
  for (let r = 0; r < rows; r++) {
    const row = r * n;
    for (const j of order) {
      let config = 0;
      for (const p of parentsOf[j]!) config = config * cardinalities[p]! + data.data[row + p]!;
      const k = cardinalities[j]!, table = cpt[j]!, u = rng.uniform();
      let v = 0;
      while (v < k - 1 && u > table[config * k + v]!) v++;
      data.data[row + j] = v;
    }
  }
  return data;
}

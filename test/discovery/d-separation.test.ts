import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph } from "../../src/discovery/graph.ts";
import { dSeparated, dSeparationOracle } from "../../src/discovery/d-separation.ts";
import { dagToCpdag } from "../../src/discovery/cpdag.ts";
import { pc } from "../../src/discovery/pc/pc.ts";
import { randomDag } from "../../src/discovery/random-dag.ts";
import { Rng } from "../../src/util/rng.ts";

// The fixtures' 6-node DAG: X1 -> X3 <- X2, X3 -> X4 -> X6 <- X5, X2 -> X5.
const names = ["X1", "X2", "X3", "X4", "X5", "X6"];
function fixtureDag(): Graph {
  const g = Graph.empty(names);
  for (const [a, b] of [[0, 2], [1, 2], [2, 3], [3, 5], [4, 5], [1, 4]] as const) g.setDirected(a, b);
  return g;
}

test("dSeparated(dag, x, y, z) follows chains, forks and colliders", () => {
  const g = fixtureDag();
  assert.equal(dSeparated(g, 0, 1, []), true); // X1 ⫫ X2: collider X3 closed
  assert.equal(dSeparated(g, 0, 1, [2]), false); // conditioning on the collider opens it
  assert.equal(dSeparated(g, 0, 1, [3]), false); // ... and so does a descendant of it
  assert.equal(dSeparated(g, 0, 3, [2]), true); // chain X1 -> X3 -> X4 blocked
  assert.equal(dSeparated(g, 2, 4, [1]), true); // fork X3 <- X2 -> X5 blocked, X6 collider closed
  assert.equal(dSeparated(g, 2, 4, [1, 5]), false); // X6 opens X3 -> X4 -> X6 <- X5
  assert.equal(dSeparated(g, 2, 4, [1, 3, 5]), true);
  assert.equal(dSeparated(g, 0, 5, [2]), false); // X3 is a collider on X1 -> X3 <- X2 -> X5 -> X6
  assert.equal(dSeparated(g, 0, 5, [1, 2]), true);
  assert.equal(dSeparated(g, 0, 5, []), false);
});

test("dagToCpdag keeps v-structures and their Meek consequences, leaves the rest undirected", () => {
  const cpdag = dagToCpdag(fixtureDag());
  assert.deepEqual(cpdag.edgeStrings(), ["X1 --> X3", "X2 --> X3", "X2 --- X5", "X3 --> X4", "X4 --> X6", "X5 --> X6"]);
  const chain = Graph.fromDirectedAdjacency([[0, 1, 0], [0, 0, 1], [0, 0, 0]]);
  assert.deepEqual(dagToCpdag(chain).edgeStrings(), ["X1 --- X2", "X2 --- X3"]);
});

test("pc() with the d-separation oracle returns the true CPDAG of the fixtures' DAG", () => {
  const dag = fixtureDag();
  const result = pc(names, dSeparationOracle(dag));
  assert.ok(result.graph.equals(dagToCpdag(dag)), result.graph.edgeStrings().join("; "));
});

test("pc() with the d-separation oracle returns the true CPDAG for 50 random DAGs of 10–20 nodes", () => {
  const rng = new Rng(4242);
  let edges = 0, directed = 0;
  for (let trial = 0; trial < 50; trial++) {
    const n = 10 + rng.int(11);
    const dag = randomDag(n, 2.5 / (n - 1), rng);
    const truth = dagToCpdag(dag);
    const result = pc(dag.nodes, dSeparationOracle(dag), { recordTests: false });
    assert.ok(result.graph.equals(truth), `trial ${trial} (n = ${n}): got ${result.graph.edgeStrings().join("; ")}, want ${truth.edgeStrings().join("; ")}`);
    edges += truth.edgeCount();
    directed += truth.edges().filter((e) => e.atA !== e.atB).length;
  }
  // The check must have teeth: the DAGs need edges, and many of them must be oriented in the CPDAG.
  assert.ok(edges > 300 && directed > 100, `edges ${edges}, directed ${directed}`);
});

/** v-structures a → b ← c (a < c not adjacent) of a DAG given as "from>to" edge keys. */
function vStructures(n: number, directed: Array<[number, number]>): string {
  const parents: number[][] = Array.from({ length: n }, () => []);
  const adjacent = new Set<string>();
  for (const [a, b] of directed) { parents[b]!.push(a); adjacent.add(`${Math.min(a, b)},${Math.max(a, b)}`); }
  const out: string[] = [];
  parents.forEach((ps, b) => {
    for (const a of ps) for (const c of ps) if (a < c && !adjacent.has(`${a},${c}`)) out.push(`${a}>${b}<${c}`);
  });
  return out.sort().join(" ");
}

function acyclic(n: number, directed: Array<[number, number]>): boolean {
  const indegree = new Array<number>(n).fill(0);
  for (const [, b] of directed) indegree[b]!++;
  const ready = indegree.flatMap((d, v) => (d === 0 ? [v] : []));
  let seen = 0;
  while (ready.length) {
    const v = ready.pop()!;
    seen++;
    for (const [a, b] of directed) if (a === v && --indegree[b]! === 0) ready.push(b);
  }
  return seen === n;
}

test("dagToCpdag equals the Markov equivalence class found by brute force (every orientation of the skeleton with the same v-structures; 40 DAGs of 4–7 nodes)", () => {
  // Independent of Meek's rules: an edge is directed in the CPDAG iff every equivalent DAG orients it the same way.
  const rng = new Rng(99);
  let undirected = 0, directed = 0;
  for (let trial = 0; trial < 40; trial++) {
    const n = 4 + rng.int(4);
    const dag = randomDag(n, 0.45, rng);
    const edges = dag.edges().map((e) => [e.a, e.b] as [number, number]);
    const truthV = vStructures(n, edges.map(([a, b]) => (dag.isDirected(a, b) ? [a, b] : [b, a])));
    const forward = new Array<boolean>(edges.length).fill(false), backward = new Array<boolean>(edges.length).fill(false);
    for (let mask = 0; mask < 1 << edges.length; mask++) {
      const oriented = edges.map(([a, b], k) => (mask & (1 << k) ? [b, a] : [a, b]) as [number, number]);
      if (!acyclic(n, oriented) || vStructures(n, oriented) !== truthV) continue;
      oriented.forEach(([a], k) => (a === edges[k]![0] ? (forward[k] = true) : (backward[k] = true)));
    }
    const expected = Graph.empty(dag.nodes);
    edges.forEach(([a, b], k) => {
      if (forward[k] && backward[k]) { expected.setEdge(a, b, "tail", "tail"); undirected++; }
      else { if (forward[k]) expected.setDirected(a, b); else expected.setDirected(b, a); directed++; }
    });
    const cpdag = dagToCpdag(dag);
    assert.ok(cpdag.equals(expected), `trial ${trial}: dagToCpdag ${cpdag.edgeStrings().join("; ")}, brute force ${expected.edgeStrings().join("; ")}`);
  }
  assert.ok(undirected > 20 && directed > 20, `undirected ${undirected}, directed ${directed}`);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph } from "../../src/discovery/graph.ts";
import { adjacencyScores, arrowheadScores, compareGraphs, shd, skeletonShd } from "../../src/discovery/metrics/index.ts";

const nodes = ["A", "B", "C", "D"];
function graph(edges: Array<[string, string, "->" | "--" | "<->"]>): Graph {
  const g = Graph.empty(nodes);
  for (const [a, b, kind] of edges) {
    const i = g.index(a), j = g.index(b);
    if (kind === "->") g.setDirected(i, j);
    else if (kind === "--") g.setEdge(i, j, "tail", "tail");
    else g.setEdge(i, j, "arrow", "arrow");
  }
  return g;
}

test("shd counts a missing edge, an extra edge and a reversed edge once each", () => {
  const truth = graph([["A", "B", "->"], ["B", "C", "->"], ["C", "D", "--"]]);
  const estimate = graph([["B", "A", "->"], ["C", "D", "--"], ["A", "D", "--"]]);
  assert.equal(shd(truth, estimate), 3); // A<-B reversed, B->C missing, A--D extra
  assert.equal(skeletonShd(truth, estimate), 2);
  assert.equal(shd(truth, truth), 0);
});

test("adjacencyScores and arrowheadScores give precision, recall and F1", () => {
  const truth = graph([["A", "B", "->"], ["B", "C", "->"], ["C", "D", "--"]]);
  const estimate = graph([["A", "B", "->"], ["C", "B", "->"], ["A", "D", "<->"]]);
  const adj = adjacencyScores(truth, estimate);
  assert.equal(adj.precision, 2 / 3);
  assert.equal(adj.recall, 2 / 3);
  assert.equal(adj.f1, 2 / 3);
  // truth arrowheads: at B (A->B), at C (B->C). estimate: at B (A->B), at B (C->B), at A and D (A<->D).
  const ah = arrowheadScores(truth, estimate);
  assert.equal(ah.precision, 1 / 4);
  assert.equal(ah.recall, 1 / 2);
  assert.equal(compareGraphs(truth, estimate).shd, 3);
});

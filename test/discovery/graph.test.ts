import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph } from "../../src/discovery/graph.ts";
import { adjacencyMatrix, graphFromJson, graphToJson } from "../../src/discovery/export.ts";
import { renderGraphSvg, toDot } from "../../src/report/graph-dot.ts";

const cl = [[0, 0, -1, 0], [0, 0, -1, 1], [1, 1, 0, 0], [0, 1, 0, 0]]; // X1 -> X3, X2 -> X3, X2 <-> X4

test("Graph.fromCausalLearn reads causal-learn's endpoint matrix (graph[j][i] = 1, graph[i][j] = -1 is i -> j) and writes it back", () => {
  const g = Graph.fromCausalLearn(cl);
  assert.ok(g.isDirected(0, 2) && g.isDirected(1, 2) && g.isBidirected(1, 3));
  assert.equal(g.markAt(2, 0), "arrow");
  assert.deepEqual(g.toCausalLearn(), cl);
  assert.deepEqual(g.edgeStrings(), ["X1 --> X3", "X2 --> X3", "X2 <-> X4"]);
  assert.throws(() => Graph.fromCausalLearn([[0, 1], [0, 0]]), /disagree/);
});

test("graph.json round-trips; DOT draws each edge once with both marks; SVG renders", async () => {
  const g = Graph.fromCausalLearn(cl, ["a", "b", "c", "d"]);
  const json = graphToJson(g);
  assert.deepEqual(json.edges.map((e) => [e.from, e.to, e.kind]), [["a", "c", "directed"], ["b", "c", "directed"], ["b", "d", "bidirected"]]);
  assert.ok(graphFromJson(JSON.parse(JSON.stringify(json))).equals(g));
  const dot = toDot(g);
  assert.match(dot, /"a" -> "c" \[dir=both, arrowtail=none, arrowhead=normal\]/);
  assert.match(dot, /"b" -> "d" \[dir=both, arrowtail=normal, arrowhead=normal/);
  assert.deepEqual(adjacencyMatrix(g), [[0, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 1, 0, 0]]);
  const svg = await renderGraphSvg(g);
  assert.match(svg, /<svg/);
  for (const name of ["a", "b", "c", "d"]) assert.match(svg, new RegExp(`>${name}<`));
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { dagToCpdag } from "../../src/discovery/cpdag.ts";
import { dSeparationOracle } from "../../src/discovery/d-separation.ts";
import { Graph } from "../../src/discovery/graph.ts";
import { Knowledge, knowledgeFromSpec, parseEdgeRule, parseTiers } from "../../src/discovery/knowledge.ts";
import { pc } from "../../src/discovery/pc/pc.ts";
import { UsageError } from "../../src/errors.ts";

// X1 -> X3 <- X2, X3 -> X4 -> X6 <- X5, X2 -> X5 (the fixtures' DAG)
const names = ["X1", "X2", "X3", "X4", "X5", "X6"];
const dag = Graph.empty(names);
for (const [a, b] of [[0, 2], [1, 2], [2, 3], [3, 5], [4, 5], [1, 4]] as const) dag.setDirected(a, b);

test("tiers forbid later → earlier; within a tier only with forbidWithinTier (causal-learn's rule)", () => {
  const k = knowledgeFromSpec(names, { tiers: [["X1", "X2"], ["X3"]] });
  assert.equal(k.isForbidden(2, 0), true);
  assert.equal(k.isForbidden(0, 2), false);
  assert.equal(k.isForbidden(0, 1), false);
  assert.equal(knowledgeFromSpec(names, { tiers: [["X1", "X2"]], forbidWithinTier: true }).isBanned(0, 1), true);
});

test("a required edge orients the undirected X2 — X5 of the CPDAG, as causal-learn's _bk fixture", () => {
  const k = knowledgeFromSpec(names, { require: [["X2", "X5"]] });
  const g = pc(names, dSeparationOracle(dag), { knowledge: k }).graph;
  assert.ok(g.isDirected(1, 4));
  const reversed = pc(names, dSeparationOracle(dag), { knowledge: knowledgeFromSpec(names, { require: [["X5", "X2"]] }) }).graph;
  assert.ok(reversed.isDirected(4, 1));
});

test("an edge forbidden both ways is removed without testing the pair", () => {
  const k = new Knowledge(6).forbid(0, 2).forbid(2, 0);
  const result = pc(names, dSeparationOracle(dag), { knowledge: k });
  assert.equal(result.graph.adjacent(0, 2), false);
  assert.ok(result.tests.every((t) => !((t.x === 0 && t.y === 2) || (t.x === 2 && t.y === 0))));
  assert.deepEqual(result.sepsets.get("0,2"), [[], []]);
});

test("noEdgesInto keeps every edge at the shared nodes pointing outward (the CRL use)", () => {
  const truth = dagToCpdag(dag);
  assert.ok(truth.isUndirected(1, 4)); // X2 — X5 is undecided without knowledge
  const k = knowledgeFromSpec(names, { noEdgesInto: ["X2"] });
  const g = pc(names, dSeparationOracle(dag), { knowledge: k }).graph;
  for (const j of g.neighbors(1)) assert.ok(g.isDirected(1, j), `X2 – ${names[j]} should point out of X2`);
});

test("knowledge naming an unknown node, or requiring a forbidden edge, is a usage error naming it", () => {
  assert.throws(() => knowledgeFromSpec(names, { forbid: [["X1", "Q"]] }), (e) => e instanceof UsageError && /"Q"/.test(e.message));
  assert.throws(() => knowledgeFromSpec(names, { forbid: [["X1", "X2"]], require: [["X1", "X2"]] }), UsageError);
  assert.deepEqual(parseEdgeRule(" Height -> Weight "), ["Height", "Weight"]);
  assert.throws(() => parseEdgeRule("Height Weight"), UsageError);
  assert.deepEqual(parseTiers("a,b; c"), [["a", "b"], ["c"]]);
});

test("faithful: true still runs the banned pair's depth-0 test (as causal-learn does) and removes the edge anyway", () => {
  const k = new Knowledge(6).forbid(0, 2).forbid(2, 0);
  const result = pc(names, dSeparationOracle(dag), { knowledge: k, faithful: true });
  assert.equal(result.graph.adjacent(0, 2), false);
  assert.ok(result.tests.some((t) => t.x === 0 && t.y === 2 && t.S.length === 0));
});

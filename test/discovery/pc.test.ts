import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph } from "../../src/discovery/graph.ts";
import { knowledgeFromSpec } from "../../src/discovery/knowledge.ts";
import { pc } from "../../src/discovery/pc/pc.ts";
import { pcFixtures, replayQuery } from "./fixtures.ts";

for (const fx of pcFixtures()) {
  test(`pc() replaying causal-learn's p-values performs the same tests in the same order and ends with the same graph and sepsets (pc/${fx.name})`, () => {
    const knowledge = fx.background_knowledge
      ? knowledgeFromSpec(fx.nodes, { forbid: fx.background_knowledge.forbidden, require: fx.background_knowledge.required })
      : undefined;
    const result = pc(fx.nodes, replayQuery(fx), { alpha: fx.alpha, depth: fx.max_k ?? undefined, knowledge, faithful: true });
    assert.deepEqual(result.tests.map((t) => [t.x, t.y, t.S, t.cached]), fx.ci_tests.map((t) => [t.x, t.y, t.S, t.cached]));
    assert.deepEqual(result.skeleton.toCausalLearn().map((r) => r.map(Math.abs)), fx.skeleton);
    // causal-learn stores each sepset as tuple(a Python set), so members come in hash-table order
    // ({8, 4} iterates as 8, 4); we store them ascending. The sets and their sequence must agree.
    const ascending = (sets: Record<string, number[][]>) =>
      Object.fromEntries(Object.entries(sets).map(([k, v]) => [k, v.map((S) => [...S].sort((a, b) => a - b))]));
    assert.deepEqual(Object.fromEntries(result.sepsets), ascending(fx.sepsets));
    assert.deepEqual(result.graph.toCausalLearn(), fx.graph);
    assert.deepEqual(result.graph.edgeStrings().sort(), [...fx.edges].sort());
  });
}

test("pc() on fixtures with a known DAG returns causal-learn's expected CPDAG where causal-learn did", () => {
  for (const fx of pcFixtures()) {
    if (!fx.expected_cpdag || !(fx as { equals_expected_cpdag?: boolean }).equals_expected_cpdag) continue;
    const result = pc(fx.nodes, replayQuery(fx), { alpha: fx.alpha, depth: fx.max_k ?? undefined });
    assert.ok(result.graph.equals(Graph.fromCausalLearn(fx.expected_cpdag.graph, fx.nodes)), fx.name);
  }
});

test("by default a required edge is kept without testing it; the _bk fixture's graph is unchanged and the X2–X5 tests are skipped", () => {
  const fx = pcFixtures().find((f) => f.name === "lingauss_n2000_s0_fisherz_bk")!;
  const knowledge = knowledgeFromSpec(fx.nodes, { forbid: fx.background_knowledge!.forbidden, require: fx.background_knowledge!.required });
  const result = pc(fx.nodes, replayQuery(fx), { alpha: fx.alpha, knowledge });
  assert.deepEqual(result.graph.toCausalLearn(), fx.graph);
  const isX2X5 = (t: { x: number; y: number }) => (t.x === 1 && t.y === 4) || (t.x === 4 && t.y === 1);
  assert.ok(fx.ci_tests.some(isX2X5));
  assert.ok(!result.tests.some(isX2X5));
  assert.ok(result.tests.length < fx.ci_tests.length);
});

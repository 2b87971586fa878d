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
    const result = pc(fx.nodes, replayQuery(fx), { alpha: fx.alpha, depth: fx.max_k ?? undefined, knowledge });
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

import { test } from "node:test";
import assert from "node:assert/strict";
import { dagToCpdag } from "../../src/discovery/cpdag.ts";
import { dSeparationOracle } from "../../src/discovery/d-separation.ts";
import { Graph } from "../../src/discovery/graph.ts";
import { pc } from "../../src/discovery/pc/pc.ts";
import { ucSepset } from "../../src/discovery/pc/colliders.ts";
import { CiRunner } from "../../src/discovery/pc/ci-runner.ts";
import { randomDag } from "../../src/discovery/random-dag.ts";
import { Rng } from "../../src/util/rng.ts";

test("every collider rule and priority (uc_rule 0/1 × priority 0–4, uc_rule 2 × priority 2–4) recovers the true CPDAG with the oracle (12 random DAGs)", () => {
  const rng = new Rng(99);
  const combos: Array<[0 | 1 | 2, 0 | 1 | 2 | 3 | 4]> = [];
  for (const rule of [0, 1] as const) for (const p of [0, 1, 2, 3, 4] as const) combos.push([rule, p]);
  for (const p of [2, 3, 4] as const) combos.push([2, p]);
  for (let trial = 0; trial < 12; trial++) {
    const n = 8 + rng.int(5);
    const dag = randomDag(n, 2.5 / (n - 1), rng);
    const truth = dagToCpdag(dag);
    for (const [ucRule, ucPriority] of combos) {
      const result = pc(dag.nodes, dSeparationOracle(dag), { ucRule, ucPriority, recordTests: false });
      assert.ok(result.graph.equals(truth), `trial ${trial}, rule ${ucRule}, priority ${ucPriority}: ${result.graph.edgeStrings().join("; ")}`);
    }
  }
});

// Two colliders that disagree on the edge B–C: A -> B <- C (A, C apart) and B -> C <- D (B, D apart).
// Skeleton A–B–C–D with sepsets that make both (A, B, C) and (B, C, D) colliders.
function conflict() {
  const g = Graph.empty(["A", "B", "C", "D"]);
  g.setEdge(0, 1, "tail", "tail"), g.setEdge(1, 2, "tail", "tail"), g.setEdge(2, 3, "tail", "tail");
  const sepsets = new Map([["0,2", [[]]], ["1,3", [[]]], ["0,3", [[1]]]]);
  const runner = new CiRunner(() => { throw new Error("no test needed"); });
  return { g, ctx: { sepsets, runner, alpha: 0.05 } };
}

test("ucSepset priorities resolve conflicting colliders as causal-learn: 0 overwrites, 1 makes ↔, 2 keeps the first", () => {
  const { g, ctx } = conflict();
  // Triples are visited (A,B,C) then (B,C,D); with priority 0 the later collider overwrites C -> B.
  assert.deepEqual(ucSepset(g, 0, ctx).graph.edgeStrings(), ["A --> B", "B --> C", "D --> C"]);
  assert.deepEqual(ucSepset(g, 1, ctx).graph.edgeStrings(), ["A --> B", "B <-> C", "D --> C"]);
  assert.deepEqual(ucSepset(g, 2, ctx).graph.edgeStrings(), ["A --> B", "C --> B", "C --- D"]);
});

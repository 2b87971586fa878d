import { test } from "node:test";
import assert from "node:assert/strict";
import { computeAgreement, formatAgreement } from "../../src/traits/agreement.ts";
import { agreementSvg } from "../../src/report/agreement-chart.ts";
import type { TraitAssessmentRow } from "../../src/dataset/schema.ts";

function row(person: string, llm: string, protocol: string, repeat: number, scores: number[]): TraitAssessmentRow {
  return { person_id: person, llm, protocol, repeat, description_o: null, description_c: null, description_e: null, description_a: null, description_n: null,
    score_o: scores[0]!, score_c: scores[1]!, score_e: scores[2]!, score_a: scores[3]!, score_n: scores[4]!, raw_reply: null, created_at: null };
}

test("computeAgreement(): SD over repeats, between-protocol disagreement, and 0 treated as missing (hand-computed)", () => {
  const rows = [
    // gpt, person p: o over 3 repeats = 1, 2, 3 → SD 1; person q: 2, 2, 0 → the 0 is missing → SD 0 over (2, 2).
    row("p", "gpt", "Number-L3-Inc", 0, [1, 1, 1, 1, 1]), row("p", "gpt", "Number-L3-Inc", 1, [2, 1, 1, 1, 1]), row("p", "gpt", "Number-L3-Inc", 2, [3, 1, 1, 1, 1]),
    row("q", "gpt", "Number-L3-Inc", 0, [2, 2, 2, 2, 2]), row("q", "gpt", "Number-L3-Inc", 1, [2, 2, 2, 2, 2]), row("q", "gpt", "Number-L3-Inc", 2, [0, 2, 2, 2, 2]),
    row("p", "gemini", "Number-L3-Inc", 0, [1, 1, 1, 1, 1]), row("q", "gemini", "Number-L3-Inc", 0, [3, 2, 2, 2, 2]),
    // gpt on a 5-level scale: p o = 5 → 1.0 rescaled vs L3 o = 1 → 0.0: |Δ| = 1; q o = 3 → 0.5 vs 2 → 0.5: 0. Other traits: p 1→0 vs 1→0; q 3→.5 vs 2→.5.
    row("p", "gpt", "Number-L5-Inc", 0, [5, 1, 1, 1, 1]), row("q", "gpt", "Number-L5-Inc", 0, [3, 3, 3, 3, 3]),
  ];
  const report = computeAgreement(rows);
  assert.deepEqual(report.llms, ["gemini", "gpt"]);
  assert.equal(report.persons, 2);
  const sdO = report.repeatSd.find((r) => r.llm === "gpt" && r.trait === "o")!;
  assert.equal(sdO.persons, 2);
  assert.equal(sdO.repeats, 3);
  assert.equal(sdO.meanSd, (1 + 0) / 2);
  assert.equal(report.repeatSd.filter((r) => r.llm === "gemini").length, 0, "gemini has a single repeat");
  const d = report.protocolDisagreement.find((x) => x.llm === "gpt" && x.protocol === "Number-L5-Inc")!;
  assert.equal(d.pairs, 10);
  assert.equal(d.meanAbsDiff, 1 / 10);
  // Agreement on o between gemini (1, 3) and gpt (1, 2), by hand: grand mean 1.75, SSR 2.25, SSC 0.25, SSE 0.25,
  // so MSR 2.25, MSC = MSE = 0.25 and ICC(2,1) = ICC(3,1) = (2.25 − 0.25) / (2.25 + 0.25) = 0.8.
  const o = report.perTrait.find((t) => t.trait === "o")!;
  assert.equal(o.icc.n, 2);
  assert.ok(Math.abs(o.icc.icc2 - 0.8) < 1e-12, String(o.icc.icc2));
  assert.ok(Math.abs(o.icc.icc3 - 0.8) < 1e-12, String(o.icc.icc3));
  assert.deepEqual(o.spearman.map((p) => [p.a, p.b, p.n]), [["gemini", "gpt", 2]]);
  assert.ok(Number.isNaN(o.spearman[0]!.rho), "Spearman needs 3 pairs");
  const text = formatAgreement(report);
  assert.match(text, /Agreement of 2 LLMs \(gemini, gpt\) on 2 persons, protocol Number-L3-Inc/);
  assert.match(text, /Between-protocol disagreement/);
  assert.match(agreementSvg(report), /^<svg[\s\S]*<\/svg>$/);
});

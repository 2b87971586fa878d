import { test } from "node:test";
import assert from "node:assert/strict";
import { openStore } from "../../src/dataset/store.ts";
import { aggregateFinals } from "../../src/traits/aggregate.ts";

test("aggregateFinals() writes the median of the non-zero LLM scores (2 valid → mean, 1 → it, none → null) and keeps per-LLM rows", async () => {
  const store = await openStore(":memory:");
  try {
    await store.insertPersons([{ id: "p", flavour: "athle", birth_year: null, birth_month: null, birth_day: null, latitude: null, longitude: null,
      height_cm: null, weight_kg: null, occupation: null, gender: null, league: null }]);
    // Per trait (o, c, e, a, n), the three LLMs say: o 1,2,3 → 2; c 3,0,2 → 2.5; e 0,0,3 → 3; a 0,0,0 → null; n 1,1,3 → 1.
    const scores: Record<string, number[]> = { gpt: [1, 3, 0, 0, 1], gemini: [2, 0, 0, 0, 1], llama: [3, 2, 3, 0, 3] };
    await store.upsertTraitAssessments(Object.entries(scores).map(([llm, s]) => ({
      person_id: "p", llm, protocol: "Number-L3-Inc", repeat: 0, description_o: null, description_c: null, description_e: null, description_a: null, description_n: null,
      score_o: s[0]!, score_c: s[1]!, score_e: s[2]!, score_a: s[3]!, score_n: s[4]!, raw_reply: null, created_at: null,
    })));
    // A second protocol and a repeat must not leak into the finals.
    await store.upsertTraitAssessments([{ person_id: "p", llm: "gpt", protocol: "Number-L5-Inc", repeat: 0, description_o: null, description_c: null, description_e: null,
      description_a: null, description_n: null, score_o: 5, score_c: 5, score_e: 5, score_a: 5, score_n: 5, raw_reply: null, created_at: null }]);
    assert.equal(await aggregateFinals(store), 1);
    assert.deepEqual(await store.readFinals(), [{ person_id: "p", final_o: 2, final_c: 2.5, final_e: 3, final_a: null, final_n: 1 }]);
    assert.equal((await store.readTraitAssessments()).length, 4);
  } finally { store.close(); }
});

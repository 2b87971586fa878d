import { test } from "node:test";
import assert from "node:assert/strict";
import { openStore } from "../../src/dataset/store.ts";
import { aggregateFinals, syncAssessments } from "../../src/traits/aggregate.ts";
import { CallCache } from "../../src/traits/call-cache.ts";

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

test("syncAssessments() keeps one row per (person, LLM, protocol, repeat): the latest valid reply after a config change, dated when it was received", async () => {
  const store = await openStore(":memory:");
  try {
    await store.insertPersons([{ id: "p", flavour: "athle", birth_year: null, birth_month: null, birth_day: null, latitude: null, longitude: null,
      height_cm: null, weight_kg: null, occupation: null, gender: null, league: null }]);
    const cache = await CallCache.open(store.connection);
    const reply = (score: number) => JSON.stringify(Object.fromEntries(["openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism"]
      .map((t) => [t, { description: `${t} ${score}`, score }])));
    // The same model name "gpt" answered under two call keys (e.g. the config's model id or temperature changed).
    for (const [key, score] of [["key-old", 1], ["key-new", 3]] as const) {
      const row = { callKey: key, llm: "gpt", provider: "openai", model: `m-${key}`, protocol: "Number-L3-Inc", protocolVersion: 1,
        paramsHash: key, personId: "p", repeat: 0, attempt: 1, rawReply: reply(score), inputTokens: 1, outputTokens: 1, costUsd: 0 };
      const id = await cache.recordRequest(row);
      await cache.recordReply(id, row);
      await cache.setOutcome(id, "ok", null, true);
    }
    await store.connection.run(`UPDATE llm_calls SET created_at = TIMESTAMP '2026-03-04 05:06:07' WHERE call_key = 'key-new'`);
    assert.equal(await syncAssessments(store), 1);
    const first = await store.readTraitAssessments();
    assert.equal(first.length, 1);
    assert.equal(first[0]!.score_o, 3, "the most recent reply wins");
    assert.equal(first[0]!.description_o, "openness 3");
    assert.deepEqual(first[0]!.created_at, new Date(Date.UTC(2026, 2, 4, 5, 6, 7)), "the time the reply was received, not the time of the sync");
    await syncAssessments(store);
    assert.deepEqual(await store.readTraitAssessments(), first, "a second sync writes identical rows");
  } finally { store.close(); }
});

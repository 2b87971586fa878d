import { test } from "node:test";
import assert from "node:assert/strict";
import { openStore, type Store } from "../../src/dataset/store.ts";
import { embedTextsIntoStore } from "../../src/embed/text-store.ts";
import { parseLlmConfig } from "../../src/traits/config.ts";
import { createProvider } from "../../src/traits/providers/index.ts";
import { startFakeLlmServer } from "../helpers/fake-llm-servers.ts";

async function storeWithDescriptions(): Promise<Store> {
  const store = await openStore(":memory:");
  const ids = ["a", "b", "c", "d"];
  await store.insertPersons(ids.map((id) => ({ id, flavour: "celeb" as const, birth_year: null, birth_month: null, birth_day: null, latitude: null, longitude: null,
    height_cm: null, weight_kg: null, occupation: null, gender: null, league: null })));
  const words = ["curious inventive", "calm composed", "warm generous", "anxious volatile"];
  await store.upsertTraitAssessments(ids.flatMap((id, i) => ["gpt", "gemini", "llama"].map((llm) => ({
    person_id: id, llm, protocol: "Number-L3-Inc", repeat: 0,
    description_o: `${words[i]} ${llm}`, description_c: "reliable", description_e: words[(i + 1) % 4]!, description_a: "fair", description_n: words[i]!,
    score_o: 2, score_c: 2, score_e: 2, score_a: 2, score_n: 2, raw_reply: null, created_at: null,
  }))));
  return store;
}

test("embedTextsIntoStore() writes one TF-IDF/SVD text embedding per LLM description (measurement = LLM in name order)", async () => {
  const store = await storeWithDescriptions();
  try {
    const summary = await embedTextsIntoStore(store, { dim: 3, seed: 1 });
    assert.deepEqual(summary.llms, ["gemini", "gpt", "llama"]);
    assert.equal(summary.written, 12);
    const blocks = await store.readEmbeddings("text");
    assert.deepEqual(blocks.map((b) => [b.measurement, b.model, b.dim, b.ids.length]), [[0, "tfidf-svd-3", 3, 4], [1, "tfidf-svd-3", 3, 4], [2, "tfidf-svd-3", 3, 4]]);
    const first = blocks[0]!.data.slice();
    await embedTextsIntoStore(store, { dim: 3, seed: 1 });
    assert.deepEqual((await store.readEmbeddings("text"))[0]!.data, first, "same seed, same vectors");
    const runs = await store.readRuns();
    assert.deepEqual(runs.at(-1)!.params.measurementOfLlm, { gemini: 0, gpt: 1, llama: 2 });
  } finally { store.close(); }
});

test("embedTextsIntoStore() uses a provider's embedding endpoint (fake OpenAI-compatible and Gemini servers)", async () => {
  for (const kind of ["openai", "gemini"] as const) {
    const server = await startFakeLlmServer(kind);
    const store = await storeWithDescriptions();
    try {
      const config = parseLlmConfig({ models: [{ name: "emb", provider: kind, model: "chat", baseUrl: server.baseUrl, apiKeyEnv: "EMB_KEY", embeddingModel: "fake-embed" }] }, "cfg");
      const provider = createProvider(config.models[0]!, { EMB_KEY: "k" });
      const progress: number[] = [];
      const summary = await embedTextsIntoStore(store, { provider: { provider, model: "fake-embed", batchSize: 5 }, onProgress: (done, total) => void progress.push(done, total) });
      assert.equal(summary.written, 12);
      assert.deepEqual(progress, [5, 12, 10, 12, 12, 12], "progress after each batch");
      assert.equal(summary.model, "emb:fake-embed");
      assert.equal(server.requests.filter((r) => r.kind === "embed").length, 3, `${kind}: 12 texts in batches of 5`);
      assert.deepEqual((await store.readEmbeddings("text")).map((b) => b.dim), [8, 8, 8]);
    } finally {
      store.close();
      await server.close();
    }
  }
});

test("embedTextsIntoStore() rejects a provider answer with fewer vectors than texts instead of shifting vectors onto other persons", async () => {
  const store = await storeWithDescriptions();
  try {
    const provider = { name: "short", complete: async () => { throw new Error("unused"); },
      embed: async (texts: string[]) => ({ vectors: texts.slice(1).map(() => [1, 2, 3]), inputTokens: 0 }) };
    await assert.rejects(embedTextsIntoStore(store, { provider: { provider, model: "m", batchSize: 5 } }),
      /short's embedding endpoint returned 4 vectors for 5 texts \(texts 1\.\.5 of 12\)/);
    assert.deepEqual(await store.readEmbeddings("text"), [], "nothing is written");
  } finally { store.close(); }
});

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openStore, type Store } from "../../src/dataset/store.ts";
import { inferTraits, planInference, type InferOptions } from "../../src/traits/runner.ts";
import { CallCache } from "../../src/traits/call-cache.ts";
import { parseLlmConfig, type LlmConfig } from "../../src/traits/config.ts";
import type { PersonPrompt } from "../../src/traits/protocols.ts";
import { startFakeLlmServer, type FakeLlmServer } from "../helpers/fake-llm-servers.ts";

let openai: FakeLlmServer, gemini: FakeLlmServer;
const env = { FAKE_OPENAI_KEY: "sk-test-not-a-real-key", FAKE_GEMINI_KEY: "gm-test-not-a-real-key" };

before(async () => {
  openai = await startFakeLlmServer("openai", { timeoutMs: 1500 });
  gemini = await startFakeLlmServer("gemini", { timeoutMs: 1500 });
});
after(async () => {
  await openai.close();
  await gemini.close();
});

function config(overrides: Record<string, unknown> = {}): LlmConfig {
  // A generous timeout by default so a loaded CI machine causes no spurious retries; the fault test lowers it.
  const common = { concurrency: 2, timeoutSeconds: 20, maxRetries: 3, pricePerMillionInput: 1, pricePerMillionOutput: 2, ...overrides };
  return parseLlmConfig({
    models: [
      { name: "gpt", provider: "openai", model: "fake-gpt", baseUrl: openai.baseUrl, apiKeyEnv: "FAKE_OPENAI_KEY", ...common },
      { name: "gemini", provider: "gemini", model: "fake-gemini", baseUrl: gemini.baseUrl, apiKeyEnv: "FAKE_GEMINI_KEY", ...common },
      { name: "deepseek", provider: "openai", model: "fake-deepseek", baseUrl: openai.baseUrl, apiKeyEnv: "FAKE_OPENAI_KEY", structuredOutput: "json-mode", ...common },
    ],
  }, "test-config.json");
}

const persons = (prefix: string, n: number): PersonPrompt[] => Array.from({ length: n }, (_, i) => ({
  id: `${prefix}${i}`, name: `${prefix} Person ${i}`, flavour: i % 2 ? "athlete" : "celebrity", context: i % 2 ? "NBA" : "actor",
}));

async function run(store: Store, options: Partial<InferOptions>) {
  const events: string[] = [];
  const summary = await inferTraits({ config: config(), persons: [], connection: store.connection, env, seed: 7, baseDelayMs: 20, maxDelayMs: 200,
    onEvent: (m) => events.push(m), ...options });
  return { summary, events };
}

test("inferTraits() completes every task on both providers and a rerun makes zero new requests", async () => {
  const store = await openStore(":memory:");
  try {
    const people = persons("Happy", 3);
    const first = await run(store, { persons: people, repeats: 2 });
    assert.equal(first.summary.tasks, 3 * 3 * 2);
    assert.equal(first.summary.ok, 18);
    assert.deepEqual(first.summary.failures, []);
    assert.ok(first.summary.costUsd > 0 && first.summary.inputTokens > 0);
    const requestsBefore = openai.requests.length + gemini.requests.length;
    const second = await run(store, { persons: people, repeats: 2 });
    assert.equal(openai.requests.length + gemini.requests.length, requestsBefore, "a rerun must not call the servers");
    assert.equal(second.summary.cached, 18);
    assert.equal(second.summary.newCalls, 0);
    // DeepSeek-style JSON mode puts the schema in the prompt; the fake server read it from there.
    const calls = await (await CallCache.open(store.connection)).calls({ llm: "deepseek" });
    assert.equal(calls.length, 6);
    assert.ok(calls.every((c) => c.status === "ok"));
    const everything = JSON.stringify(await (await CallCache.open(store.connection)).calls(), (_, v) => (typeof v === "bigint" ? String(v) : v));
    assert.ok(!everything.includes(env.FAKE_OPENAI_KEY) && !everything.includes(env.FAKE_GEMINI_KEY), "API keys are never stored");
  } finally { store.close(); }
});

test("inferTraits() recovers from 429 (honouring Retry-After), 500, timeouts and cut connections on OpenAI-compatible and Gemini", async () => {
  const store = await openStore(":memory:");
  try {
    const people = persons("Flaky", 2);
    for (const server of [openai, gemini]) {
      server.addFaults(
        { fault: "rate-limit", person: "Flaky Person 0", retryAfterSeconds: 1 },
        { fault: "server-error", person: "Flaky Person 1" },
        { fault: "timeout", person: "Flaky Person 1" },
        { fault: "disconnect", person: "Flaky Person 1" },
      );
    }
    const started = Date.now();
    // Server silent for 1.5 s vs a 0.6 s client timeout; 5 retries leave room for one spurious timeout under load.
    const { summary, events } = await run(store, { persons: people, models: ["gpt", "gemini"], config: config({ timeoutSeconds: 0.6, maxRetries: 5 }) });
    assert.deepEqual(summary.failures, []);
    assert.equal(summary.ok, 4);
    for (const server of [openai, gemini]) {
      const mine = server.requests.filter((r) => r.person?.startsWith("Flaky"));
      const limited = mine.find((r) => r.status === 429)!;
      const retry = mine.find((r) => r.person === "Flaky Person 0" && r.validReply)!;
      assert.ok(retry.at - limited.at >= 950, `${server.kind}: the retry came ${retry.at - limited.at} ms after the 429; Retry-After asked for 1 s`);
      assert.ok(mine.some((r) => r.status === 500) && mine.some((r) => r.fault === "timeout") && mine.some((r) => r.fault === "disconnect"));
    }
    assert.ok(events.some((e) => /HTTP 429/.test(e)) && events.some((e) => /HTTP 500/.test(e)) && events.some((e) => /timed out/.test(e))
      && events.some((e) => /cut off mid-reply/.test(e)), events.join("\n"));
    assert.ok(Date.now() - started < 15_000);
  } finally { store.close(); }
});

test("inferTraits() stores truncated and wrong-schema replies before parsing, then retries with the validation error", async () => {
  const store = await openStore(":memory:");
  try {
    openai.addFaults({ fault: "truncated", person: "Broken Person 0" }, { fault: "wrong-schema", person: "Broken Person 1" });
    gemini.addFaults({ fault: "truncated", person: "Broken Person 0" }, { fault: "wrong-schema", person: "Broken Person 1" });
    const { summary } = await run(store, { persons: persons("Broken", 2), models: ["gpt", "gemini"] });
    assert.deepEqual(summary.failures, []);
    assert.equal(summary.ok, 4);
    const calls = await (await CallCache.open(store.connection)).calls();
    const invalid = calls.filter((c) => c.status === "invalid");
    assert.equal(invalid.length, 4, "each bad reply is kept in the store");
    assert.ok(invalid.some((c) => /not valid JSON/.test(c.error!)) && invalid.some((c) => /does not match the schema/.test(c.error!)));
    assert.ok(invalid.every((c) => c.rawReply.length > 0 && !c.final));
    // The retry carried the bad reply and the error back to the model.
    const retries = [...openai.requests, ...gemini.requests].filter((r) => r.person?.startsWith("Broken") && r.followUps > 0);
    assert.equal(retries.length, 4);
  } finally { store.close(); }
});

test("inferTraits() retries a refusal once, and reports a persistent refusal or 500 with a clear message", async () => {
  const store = await openStore(":memory:");
  try {
    openai.addFaults({ fault: "refusal", person: "Shy Person 0" }, { fault: "refusal-text", person: "Shy Person 1", times: 2 },
      { fault: "server-error", person: "Shy Person 2", times: 4 });
    gemini.addFaults({ fault: "refusal", person: "Shy Person 0", times: 2 });
    const { summary } = await run(store, { persons: persons("Shy", 3), models: ["gpt", "gemini"] });
    const byKey = (llm: string, id: string) => summary.failures.find((f) => f.llm === llm && f.personId === id);
    assert.equal(byKey("gpt", "Shy0"), undefined, "one refusal then a valid reply recovers");
    assert.match(byKey("gpt", "Shy1")!.message, /the model refused after 2 attempt\(s\): the model refused: I'm sorry/);
    assert.equal(byKey("gpt", "Shy1")!.status, "refused");
    assert.match(byKey("gemini", "Shy0")!.message, /Gemini blocked the reply \(SAFETY\)/);
    assert.match(byKey("gpt", "Shy2")!.message, /HTTP 500.*gave up after 3 retries/);
    assert.equal(summary.failures.length, 3);
    // A refused task is complete: a rerun does not pay for it again; a failed (never answered) one is retried.
    const before = openai.requests.filter((r) => r.person === "Shy Person 1").length;
    const again = await run(store, { persons: persons("Shy", 3), models: ["gpt", "gemini"] });
    assert.equal(openai.requests.filter((r) => r.person === "Shy Person 1").length, before);
    assert.equal(again.summary.failures.filter((f) => f.status === "failed").length, 0, "the 500s are gone; the task now succeeds");
    // retryFailed asks a refused task again with a fresh budget: one more refusal is retried, not final at once.
    openai.addFaults({ fault: "refusal-text", person: "Shy Person 1", times: 1 });
    const retried = await run(store, { persons: persons("Shy", 3), models: ["gpt"], retryFailed: true });
    assert.deepEqual(retried.summary.failures, []);
    assert.equal(openai.requests.filter((r) => r.person === "Shy Person 1").length, before + 2, "a refusal, then a valid reply");
    const shy1 = (await (await CallCache.open(store.connection)).calls()).filter((c) => c.personId === "Shy1" && c.llm === "gpt");
    assert.deepEqual(shy1.map((c) => [c.status, c.final]), [["refused", false], ["refused", true], ["refused", false], ["ok", true]]);
  } finally { store.close(); }
});

test("planInference() prints prompts and a cost estimate without calling anything", async () => {
  const store = await openStore(":memory:");
  try {
    const before = openai.requests.length + gemini.requests.length;
    const plan = await planInference({ config: config(), persons: persons("Dry", 5), repeats: 2, protocols: ["Number-L3-Inc", "Text-L5-Inc"], connection: store.connection });
    assert.equal(openai.requests.length + gemini.requests.length, before);
    assert.equal(plan.toRun, 3 * 5 * 2 * 2);
    assert.equal(plan.examples.length, 6);
    assert.match(plan.examples.find((e) => e.llm === "deepseek")!.user, /JSON schema exactly/);
    assert.doesNotMatch(plan.examples.find((e) => e.llm === "gpt")!.user, /JSON schema exactly/);
    assert.ok(plan.estimatedCostUsd > 0);
  } finally { store.close(); }
});

test("Dec and Text protocols are mapped back to the increasing numeric scale (same answers as Number-L3-Inc)", async () => {
  const { syncAssessments } = await import("../../src/traits/aggregate.ts");
  const store = await openStore(":memory:");
  try {
    await store.insertPersons(persons("Scale", 4).map((p) => ({ id: p.id, flavour: "athle" as const, birth_year: null, birth_month: null, birth_day: null,
      latitude: null, longitude: null, height_cm: null, weight_kg: null, occupation: null, gender: null, league: null })));
    const { summary } = await run(store, { persons: persons("Scale", 4), models: ["gpt", "gemini"], protocols: ["Number-L3-Inc", "Number-L3-Dec", "Text-L3-Inc"] });
    assert.equal(summary.ok, 4 * 2 * 3);
    await syncAssessments(store);
    const rows = await store.readTraitAssessments();
    const scores = (protocol: string) => rows.filter((r) => r.protocol === protocol).map((r) => [r.person_id, r.llm, r.score_o, r.score_c, r.score_e, r.score_a, r.score_n]);
    assert.deepEqual(scores("Number-L3-Dec"), scores("Number-L3-Inc"));
    assert.deepEqual(scores("Text-L3-Inc"), scores("Number-L3-Inc"));
    assert.ok(rows.some((r) => r.score_o === 1) && rows.some((r) => r.score_o === 3), "the fake answers span the scale");
  } finally { store.close(); }
});

test("inferTraits() parses a reply stored before a crash (status 'received') instead of paying for it again", async () => {
  const { CallCache: Cache } = await import("../../src/traits/call-cache.ts");
  const { callKey, paramsHash } = await import("../../src/traits/runner.ts");
  const { getProtocol } = await import("../../src/traits/protocols.ts");
  const { fakeAssessment } = await import("../helpers/fake-llm-servers.ts");
  const store = await openStore(":memory:");
  try {
    const model = config().models[0]!;
    const person = persons("Crash", 1)[0]!;
    const cache = await Cache.open(store.connection);
    // What a run killed between "store the reply" and "parse it" leaves behind.
    const row = { callKey: callKey(model, getProtocol("Number-L3-Inc"), person.id, 0), llm: "gpt", provider: "openai", model: model.model,
      protocol: "Number-L3-Inc", protocolVersion: 1, paramsHash: paramsHash(model), personId: person.id, repeat: 0, attempt: 1,
      rawReply: JSON.stringify(fakeAssessment(model.model, person.name, { levels: 3, labels: undefined, decreasing: false })), inputTokens: 10, outputTokens: 20, costUsd: 0.001 };
    await cache.recordReply(await cache.recordRequest(row), row);
    const before = openai.requests.length;
    const { summary } = await run(store, { persons: [person], models: ["gpt"] });
    assert.equal(summary.recovered, 1);
    assert.equal(summary.ok, 1);
    assert.equal(summary.newCalls, 0);
    assert.equal(openai.requests.length, before);
    assert.deepEqual((await cache.calls()).map((c) => c.status), ["ok"]);
  } finally { store.close(); }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { costOf, exampleLlmConfig, loadLlmConfig, parseLlmConfig } from "../../src/traits/config.ts";
import { createProvider } from "../../src/traits/providers/index.ts";
import { ConfigError } from "../../src/errors.ts";
import { RateLimiter } from "../../src/traits/rate-limiter.ts";

test("parseLlmConfig() errors name the file and the field", () => {
  assert.throws(() => parseLlmConfig({ models: [{ name: "gpt", provider: "openai", model: "m", apiKeyEnv: "lower-case" }] }, "llm.json"),
    (e: unknown) => e instanceof ConfigError && /^llm\.json: models\[0\]\.apiKeyEnv: an environment variable name/.test(e.message));
  assert.throws(() => parseLlmConfig({ models: [{ name: "a", provider: "claude", model: "m", apiKeyEnv: "K" }] }, "llm.json"), /models\[0\]\.provider/);
  assert.throws(() => parseLlmConfig({ models: [{ name: "a", provider: "openai", model: "m", apiKeyEnv: "K", apiKey: "sk-123" }] }, "llm.json"),
    /models\[0\]\.apiKey: unknown field; valid fields here: name, provider, model, baseUrl, apiKeyEnv/, "keys are never accepted in the file");
  assert.throws(() => parseLlmConfig({ models: [{ name: "a", provider: "openai", model: "m", apiKeyEnv: "K" }, { name: "a", provider: "gemini", model: "m", apiKeyEnv: "K" }] }, "llm.json"),
    /models\[1\]\.name: duplicate model name "a"/);
});

test("loadLlmConfig() reports a missing or broken file; createProvider() names the unset key variable", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-config-"));
  try {
    await assert.rejects(loadLlmConfig(join(dir, "none.json")), /none\.json: cannot read the file \(ENOENT\)/);
    await writeFile(join(dir, "bad.json"), "{ models: ");
    await assert.rejects(loadLlmConfig(join(dir, "bad.json")), /bad\.json: not valid JSON/);
    await writeFile(join(dir, "ok.json"), JSON.stringify(exampleLlmConfig));
    const config = await loadLlmConfig(join(dir, "ok.json"));
    assert.throws(() => createProvider(config.models[0]!, {}, "ok.json"), /ok\.json: model "gpt": environment variable OPENAI_API_KEY is not set\n  fix: export OPENAI_API_KEY=/);
    assert.equal(costOf(config.models[0]!, 1_000_000, 100_000), 5 + 1.5);
  } finally { await rm(dir, { recursive: true, force: true }); }
});

test("RateLimiter admits at most requestsPerMinute and tokensPerMinute per sliding minute", async () => {
  let now = 0;
  const waits: number[] = [];
  const limiter = new RateLimiter(3, 1000, () => now, async (ms) => { waits.push(ms); now += ms; });
  for (let i = 0; i < 3; i++) await limiter.acquire(100);
  assert.equal(now, 0);
  await limiter.acquire(100); // 4th request in the same minute waits for the window
  assert.equal(now, 60_000);
  const tokens = new RateLimiter(undefined, 1000, () => now, async (ms) => { now += ms; });
  const start = now;
  await tokens.acquire(600);
  await tokens.acquire(600); // 1200 > 1000 tokens: waits
  assert.equal(now - start, 60_000);
});

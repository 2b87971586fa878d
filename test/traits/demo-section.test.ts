import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordingIo } from "../../src/cli/io.ts";
import { DEMO_LLM_CONFIG_ENV, traitsSection } from "../../src/demo/traits-section.ts";
import { startFakeLlmServer } from "../helpers/fake-llm-servers.ts";

async function runSection(dir: string) {
  return traitsSection.run({ dir, seed: 5, io: recordingIo(), quick: true, artifacts: new Map() });
}

test("traits demo section without keys says how to enable inference and still shows agreement, embeddings and the privacy transform", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-demo-traits-"));
  const saved = process.env[DEMO_LLM_CONFIG_ENV];
  delete process.env[DEMO_LLM_CONFIG_ENV];
  try {
    const section = await runSection(dir);
    assert.match(section.html, /Live LLM inference is off/);
    assert.match(section.html, /PERSONAX_LLM_CONFIG=llm\.json/);
    // Agreement (ICC, α, Spearman and its chart) is written as a `traits agreement` folder that the report draws.
    assert.equal(section.runs?.length, 1);
    const manifest = JSON.parse(await readFile(join(section.runs![0]!, "personax-run.json"), "utf8")) as { kind: string };
    assert.equal(manifest.kind, "traits-agreement");
    assert.match(section.html, /max \|inverse − original\| with the key/);
    assert.match(section.html, /Face embeddings \(@vladmandic\/human, 1024-d, offline\)/);
    assert.doesNotMatch(section.html, /NaN/);
  } finally {
    if (saved !== undefined) process.env[DEMO_LLM_CONFIG_ENV] = saved;
    await rm(dir, { recursive: true, force: true });
  }
});

test("traits demo section runs live inference when the config's keys are set (fake server), and names a missing key otherwise", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-demo-traits-"));
  const server = await startFakeLlmServer("openai");
  const saved = process.env[DEMO_LLM_CONFIG_ENV];
  try {
    const config = join(dir, "llm.json");
    await writeFile(config, JSON.stringify({ models: [{ name: "gpt", provider: "openai", model: "fake", baseUrl: server.baseUrl, apiKeyEnv: "DEMO_TEST_KEY" }] }));
    process.env[DEMO_LLM_CONFIG_ENV] = config;
    delete process.env.DEMO_TEST_KEY;
    assert.match((await runSection(dir)).html, /DEMO_TEST_KEY, which is not set/);
    assert.equal(server.requests.length, 0);
    process.env.DEMO_TEST_KEY = "sk-demo";
    assert.match((await runSection(dir)).html, /Live inference with 1 model\(s\): 3\/3 assessments, 3 new calls/);
    assert.match((await runSection(dir)).html, /3\/3 assessments, 0 new calls/, "a rerun is served from the cache");
  } finally {
    if (saved !== undefined) process.env[DEMO_LLM_CONFIG_ENV] = saved; else delete process.env[DEMO_LLM_CONFIG_ENV];
    delete process.env.DEMO_TEST_KEY;
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

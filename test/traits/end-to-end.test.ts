import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.ts";
import { recordingIo } from "../../src/cli/io.ts";
import { openStore } from "../../src/dataset/store.ts";
import { humanAssetsDir, FACE_MODEL } from "../../src/embed/face.ts";
import { startFakeLlmServer } from "../helpers/fake-llm-servers.ts";

async function cli(...args: string[]): Promise<string> {
  const io = recordingIo();
  const code = await runCli(args, io);
  assert.equal(code, 0, `personax ${args.join(" ")} failed:\n${io.stderr.join("\n")}\n${io.stdout.join("\n")}`);
  return io.stdout.join("\n");
}

test("synth → traits infer (fake OpenAI-compatible + Gemini) → traits agreement → embed → HF export → import, end to end", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-e2e-"));
  const openai = await startFakeLlmServer("openai");
  const gemini = await startFakeLlmServer("gemini");
  process.env.E2E_OPENAI_KEY = "sk-e2e";
  process.env.E2E_GEMINI_KEY = "gm-e2e";
  try {
    const N = 24;
    await cli("synth", "table", "--flavour", "athle", "--n", String(N), "--seed", "3", "--out", join(dir, "synth.csv"));
    const store = join(dir, "work.duckdb");
    await cli("import", "--store", store, "--file", join(dir, "synth.csv"), "--categories", join(dir, "synth.truth.json"));

    const config = join(dir, "llm.json");
    await writeFile(config, JSON.stringify({ models: [
      { name: "gpt", provider: "openai", model: "fake-gpt-4o", baseUrl: openai.baseUrl, apiKeyEnv: "E2E_OPENAI_KEY", pricePerMillionInput: 2.5, pricePerMillionOutput: 10 },
      { name: "gemini", provider: "gemini", model: "fake-gemini-2.5-pro", baseUrl: gemini.baseUrl, apiKeyEnv: "E2E_GEMINI_KEY" },
      { name: "llama", provider: "openai", model: "fake-llama-4", baseUrl: openai.baseUrl, apiKeyEnv: "E2E_OPENAI_KEY", structuredOutput: "json-mode" },
    ] }));
    const dry = await cli("traits", "infer", "--store", store, "--config", config, "--synthetic-names", "--dry-run");
    assert.match(dry, new RegExp(`${3 * N} tasks: 0 already in the store, ${3 * N} to run`));
    assert.equal(openai.requests.length + gemini.requests.length, 0, "--dry-run calls nothing");
    const infer = JSON.parse(await cli("traits", "infer", "--store", store, "--config", config, "--json"));
    assert.equal(infer.ok, 3 * N);
    assert.equal(infer.finals, N);
    assert.ok(infer.costUsd > 0);

    const agreement = JSON.parse(await cli("traits", "agreement", "--store", store, "--out", join(dir, "agreement"), "--json"));
    assert.deepEqual(agreement.llms, ["gemini", "gpt", "llama"]);
    for (const t of agreement.perTrait) {
      // The fake LLMs share a latent score per person and trait, so they agree well but not perfectly.
      assert.ok(t.icc.icc2 > 0.4 && t.icc.icc2 < 1, `${t.trait}: ICC(2,1) = ${t.icc.icc2}`);
      assert.ok(t.alphaOrdinal > 0.4, `${t.trait}: alpha = ${t.alphaOrdinal}`);
    }
    assert.match(await readFile(join(dir, "agreement", "agreement.svg"), "utf8"), /^<svg/);

    const images = join(dir, "images");
    const work = await openStore(store, { readOnly: true });
    const ids = (await work.readPersons()).map((p) => p.id);
    const names = (await work.query<{ name: string }>(`SELECT name FROM person_identities`)).map((r) => r.name);
    work.close();
    assert.equal(names.length, N);
    for (const id of ids.slice(0, 2)) {
      await mkdir(join(images, id), { recursive: true });
      await copyFile(join(humanAssetsDir(), "screenshot-faceid.jpg"), join(images, id, "1.jpg"));
    }
    assert.match(await cli("embed", "faces", "--store", store, "--images", images), /2 face embeddings/);
    assert.match(await cli("embed", "text", "--store", store, "--dim", "8"), new RegExp(`${3 * N} text embeddings \\(tfidf-svd-8, 8-d\\)`));

    const releaseDir = join(dir, "release");
    await cli("embed", "release", "--store", store, "--out", join(releaseDir, "release.duckdb"), "--key", join(dir, "privacy-key.json"), "--release-dir", releaseDir);
    const hf = join(releaseDir, "hf");
    await cli("export", "--store", join(releaseDir, "release.duckdb"), "--hf", hf);
    const card = await readFile(join(hf, "README.md"), "utf8");
    assert.match(card, /Usage restrictions/);
    assert.match(card, /embed release/);
    assert.match(card, /traits infer/);
    assert.match(card, /Embeddings: passed through a secret random orthogonal transform/);
    assert.match(card, /Free text \(LLM descriptions, raw replies\): none\./);
    for (const name of names) assert.ok(!card.includes(name), `the card names ${name}`);

    const back = join(dir, "back.duckdb");
    await cli("import", "--store", back, "--file", hf);
    const s = await openStore(back, { readOnly: true });
    try {
      assert.equal((await s.readPersons()).length, N);
      const assessments = await s.readTraitAssessments();
      assert.equal(assessments.length, 3 * N);
      assert.ok(assessments.every((a) => a.description_o === null && a.raw_reply === null), "free text is not released");
      assert.equal((await s.readFinals()).length, N);
      const faces = await s.readEmbeddings("face");
      assert.deepEqual(faces.map((b) => [b.model, b.dim, b.ids.length]), [[FACE_MODEL, 1024, 2]]);
      const texts = await s.readEmbeddings("text");
      assert.equal(texts.length, 3);
      assert.ok(texts.every((b) => b.dim === 8 && b.ids.length === N));
      const text = JSON.stringify(await s.query(`SELECT * FROM duckdb_tables()`));
      assert.doesNotMatch(text, /person_identities|llm_calls/);
    } finally { s.close(); }
  } finally {
    await openai.close();
    await gemini.close();
    await rm(dir, { recursive: true, force: true });
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/dataset/store.ts";
import { snapshot } from "./snapshot.ts";
import { importFile } from "../../src/dataset/import.ts";
import { exportCsv, exportHf, exportTable } from "../../src/dataset/export.ts";
import { readTable } from "../../src/dataset/read-table.ts";

test("exportHf writes data/train-*.parquet shards and a dataset card with features, provenance and restrictions", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-hf-"));
  const store = await openStore(":memory:");
  await importFile(store, "test/fixtures/data/celeb_n1500_s0.csv");
  await store.writeEmbeddings([{ person_id: "celeb-000001", kind: "face", measurement: 0, model: "human-faceres", vector: new Float32Array([0.1, 0.2, 0.3]) }]);
  const result = await exportHf(store, dir, { rowsPerShard: 600 });
  assert.equal(result.rows, 1500);
  assert.deepEqual(await readdir(join(dir, "data")), ["train-00000-of-00003.parquet", "train-00001-of-00003.parquet", "train-00002-of-00003.parquet"]);
  const card = await readFile(join(dir, "README.md"), "utf8");
  assert.match(card, /^---\n/);
  assert.match(card, /dataset_info:\n  features:\n  - name: id\n    dtype: string/);
  assert.match(card, /- name: "Height\(cm\)"\n    dtype: float64/);
  assert.match(card, /- name: face_embedding_0\n    sequence: float32/);
  assert.match(card, /num_examples: 1500/);
  assert.match(card, /Number-L3-Inc/);
  assert.match(card, /human-faceres/);
  assert.match(card, /\| 1 \| import \|/);
  assert.match(card, /non-commercial research only/);
  assert.match(card, /re-identify/);
  // The card states what the rows are, not what a release should be: this store was never passed
  // through `personax embed release`, so its embeddings are not obfuscated.
  assert.deepEqual(result.privacy, { embeddings: true, embeddingsTransformed: false, freeText: false });
  assert.match(card, /## Privacy\n[\s\S]*Embeddings: NOT obfuscated/);
  assert.match(card, /Free text \(LLM descriptions, raw replies\): none\./);
  assert.doesNotMatch(card, /appear only\s+as \(obfuscated\) embeddings/);
  await store.recordRun({ what: "embed release", params: {} });
  await store.upsertTraitAssessments([{ person_id: "celeb-000001", llm: "gpt", protocol: "Number-L3-Inc", repeat: 1, description_o: "curious",
    description_c: null, description_e: null, description_a: null, description_n: null, score_o: 3, score_c: null, score_e: null, score_a: null, score_n: null,
    raw_reply: null, created_at: null }]);
  const released = await exportHf(store, dir, { rowsPerShard: 600 });
  assert.deepEqual(released.privacy, { embeddings: true, embeddingsTransformed: true, freeText: true });
  const card2 = await readFile(join(dir, "README.md"), "utf8");
  assert.match(card2, /Embeddings: passed through a secret random orthogonal transform/);
  assert.match(card2, /Free text \(LLM descriptions, raw replies\): PRESENT/);
  store.close();
});

test("import → exportHf → import restores every table exactly (embeddings, descriptions, repeats included)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-rt-"));
  const a = await openStore(join(dir, "a.duckdb"));
  await importFile(a, "test/fixtures/data/celeb_n1500_s0.csv");
  await importFile(a, "test/fixtures/data/athle_n500_s0.csv");
  await a.writeCategories([{ variable: "occupation", code: 0, label: "Actor" }, { variable: "league", code: 0, label: "NBA" }]);
  await a.writeEmbeddings([
    { person_id: "celeb-000002", kind: "text", measurement: 2, model: "tfidf-svd", vector: new Float32Array([Math.PI, -1e-20, 3.5e30]) },
    { person_id: "1", kind: "face", measurement: 0, model: "human", vector: new Float32Array([1, 2]) },
  ]);
  await a.upsertTraitAssessments([{ person_id: "celeb-000003", llm: "gpt", protocol: "Text-L5-Inc", repeat: 4,
    description_o: "Curious, \"quoted\", multi\nline", description_c: null, description_e: null, description_a: null, description_n: null,
    score_o: 5, score_c: 0, score_e: null, score_a: 1, score_n: 2, raw_reply: "{\"o\": 5}", created_at: new Date(Date.UTC(2026, 4, 6, 7, 8, 9, 123)) }]);
  await exportHf(a, join(dir, "celeb"), { flavour: "celeb", rowsPerShard: 700 });
  await exportHf(a, join(dir, "athle"), { flavour: "athle" });
  const b = await openStore(join(dir, "b.duckdb"));
  await importFile(b, join(dir, "celeb"));
  await importFile(b, join(dir, "athle"));
  assert.deepEqual(await snapshot(b), await snapshot(a));
  a.close(); b.close();
});

test("exportCsv writes the released layout; re-reading it gives the same table as the original fixture", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-csv-"));
  const store = await openStore(":memory:");
  await importFile(store, "test/fixtures/data/athle_n2000_s0.csv");
  const out = await exportCsv(store, join(dir, "athle.csv"));
  assert.equal(out.rows, 2000);
  const original = await readTable("test/fixtures/data/athle_n2000_s0.csv");
  const written = await readTable(out.file);
  assert.deepEqual(written.names, original.names);
  for (const name of original.names.filter((n) => n !== "id")) assert.deepEqual(written.columns[name], original.columns[name], name);
  store.close();
});

test("exportTable writes persons as CSV, JSON and Parquet that import back as the same persons", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-persons-"));
  const store = await openStore(":memory:");
  await importFile(store, "test/fixtures/data/celeb_n1500_s0.csv");
  await importFile(store, "test/fixtures/data/athle_n500_s0.csv");
  const expected = await store.readPersons();
  for (const ext of ["csv", "json", "parquet"]) {
    const file = join(dir, `persons.${ext}`);
    assert.equal((await exportTable(store, "persons", file)).rows, 2000);
    const other = await openStore(":memory:");
    const result = await importFile(other, file);
    assert.equal(result.format, "persons");
    assert.deepEqual(await other.readPersons(), expected, ext);
    other.close();
  }
  store.close();
});

test("an assessment without any score (e.g. an unparseable reply) survives the HF round trip", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-rt-null-"));
  const a = await openStore(":memory:");
  await importFile(a, "test/fixtures/data/athle_n500_s0.csv");
  await a.upsertTraitAssessments([{ person_id: "7", llm: "gpt", protocol: "Number-L3-Inc", repeat: 0,
    description_o: null, description_c: null, description_e: null, description_a: null, description_n: null,
    score_o: null, score_c: null, score_e: null, score_a: null, score_n: null, raw_reply: null, created_at: null }]);
  await exportHf(a, dir);
  const b = await openStore(":memory:");
  await importFile(b, dir);
  assert.deepEqual(await snapshot(b), await snapshot(a));
  a.close(); b.close();
});

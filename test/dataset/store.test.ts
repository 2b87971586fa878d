import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { openStore } from "../../src/dataset/store.ts";
import { readTable } from "../../src/dataset/read-table.ts";
import { DataError } from "../../src/errors.ts";
import type { PersonRow, TraitAssessmentRow } from "../../src/dataset/schema.ts";

const person = (id: string, over: Partial<PersonRow> = {}): PersonRow => ({
  id, flavour: "celeb", birth_year: 1980, birth_month: 2, birth_day: 3, latitude: 48.85, longitude: 2.35,
  height_cm: 180, weight_kg: null, occupation: 1, gender: 0, league: null, ...over,
});
const assessment = (person_id: string, llm: string, scores: Array<number | null>, over: Partial<TraitAssessmentRow> = {}): TraitAssessmentRow => ({
  person_id, llm, protocol: "Number-L3-Inc", repeat: 0,
  description_o: null, description_c: null, description_e: null, description_a: null, description_n: null,
  score_o: scores[0]!, score_c: scores[1]!, score_e: scores[2]!, score_a: scores[3]!, score_n: scores[4]!,
  raw_reply: null, created_at: null, ...over,
});

test("openStore creates the schema in a file, and a re-opened store keeps its rows", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-store-"));
  const path = join(dir, "s.duckdb");
  const store = await openStore(path);
  await store.insertPersons([person("a"), person("b", { flavour: "athle", league: 3, occupation: null, gender: null })]);
  store.close();
  const again = await openStore(path);
  assert.deepEqual((await again.readPersons()).map((p) => p.id), ["a", "b"]);
  assert.deepEqual(await again.flavours(), ["athle", "celeb"]);
  assert.equal((await again.counts()).persons, 2);
  again.close();
});

test("insertPersons rejects an id already in the store and leaves the store unchanged", async () => {
  const store = await openStore(":memory:");
  await store.insertPersons([person("a")]);
  await assert.rejects(store.insertPersons([person("b"), person("a", { birth_year: 1999 })]),
    (e: unknown) => e instanceof DataError && /already in the store/.test(e.message) && /--replace/.test(e.message));
  assert.deepEqual((await store.readPersons()).map((p) => [p.id, p.birth_year]), [["a", 1980]]);
  await store.insertPersons([person("a", { birth_year: 1999 })], { replace: true });
  assert.equal((await store.readPersons())[0]!.birth_year, 1999);
  store.close();
});

test("write helpers validate rows with the zod schema and name the bad field", async () => {
  const store = await openStore(":memory:");
  await assert.rejects(store.insertPersons([person("a", { birth_month: 13 })]), /column "birth_month"/);
  await assert.rejects(store.upsertTraitAssessments([assessment("a", "gpt", [1, 2, 9, 1, 1])]), /column "score_e"/);
  assert.equal((await store.counts()).persons, 0);
  store.close();
});

test("upsertTraitAssessments replaces by (person, llm, protocol, repeat) and keeps descriptions and raw replies", async () => {
  const store = await openStore(":memory:");
  await store.insertPersons([person("a")]);
  await store.upsertTraitAssessments([assessment("a", "gpt", [1, 2, 3, 0, null]), assessment("a", "gemini", [2, 2, 2, 2, 2])]);
  await store.upsertTraitAssessments([assessment("a", "gpt", [3, 3, 3, 3, 3], { description_o: "curious", raw_reply: "{\"o\":3}", created_at: new Date(Date.UTC(2026, 0, 2)) })]);
  const rows = await store.readTraitAssessments({ llm: "gpt" });
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.score_o, 3);
  assert.equal(rows[0]!.description_o, "curious");
  assert.equal(rows[0]!.raw_reply, "{\"o\":3}");
  assert.equal(rows[0]!.created_at?.toISOString(), "2026-01-02T00:00:00.000Z");
  assert.equal((await store.readTraitAssessments()).length, 2);
  store.close();
});

test("writeEmbeddings / readEmbeddings return one Float32 matrix per (measurement, model), rows by person id", async () => {
  const store = await openStore(":memory:");
  await store.insertPersons([person("b"), person("a")]);
  await store.writeEmbeddings([
    { person_id: "b", kind: "face", measurement: 0, model: "m1", vector: new Float32Array([4, 5, 6]) },
    { person_id: "a", kind: "face", measurement: 0, model: "m1", vector: new Float32Array([1, 2, 3.25]) },
    { person_id: "a", kind: "face", measurement: 1, model: "m1", vector: new Float32Array([7, 8, 9]) },
    { person_id: "a", kind: "text", measurement: 0, model: "tfidf", vector: new Float32Array([0.5]) },
  ]);
  const face = await store.readEmbeddings("face");
  assert.equal(face.length, 2);
  assert.deepEqual(face[0]!.ids, ["a", "b"]);
  assert.equal(face[0]!.dim, 3);
  assert.deepEqual(Array.from(face[0]!.data), [1, 2, 3.25, 4, 5, 6]);
  assert.deepEqual((await store.readEmbeddings("face", { measurement: 1 })).map((m) => m.ids), [["a"]]);
  assert.deepEqual(Array.from((await store.readEmbeddings("text"))[0]!.data), [0.5]);
  store.close();
});

test("transaction() rolls back every write when the callback throws", async () => {
  const store = await openStore(":memory:");
  await store.insertPersons([person("a")]);
  await assert.rejects(store.transaction(async () => {
    await store.insertPersons([person("b")]);
    await store.writeFinals([{ person_id: "b", final_o: 2, final_c: 2, final_e: 2, final_a: 2, final_n: 2 }]);
    throw new Error("boom");
  }), /boom/);
  const counts = await store.counts();
  assert.equal(counts.persons, 1);
  assert.equal(counts.trait_finals, 0);
  store.close();
});

test("recordRun stores what ran with parameters and seed", async () => {
  const store = await openStore(":memory:");
  const id = await store.recordRun({ what: "synth table", params: { n: 10, flavour: "celeb" }, seed: 7 });
  const runs = await store.readRuns();
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.id, id);
  assert.deepEqual(runs[0]!.params, { n: 10, flavour: "celeb" });
  assert.equal(runs[0]!.seed, 7);
  store.close();
});

test("readTable(store) gives the released celeb layout with per-LLM and final columns, NULL as NaN", async () => {
  const store = await openStore(":memory:");
  await store.insertPersons([person("a"), person("b", { height_cm: null })]);
  await store.writeFaceAttributes([{ person_id: "a", arched_eyebrows: 1, big_nose: -1, pointy_nose: -1, bushy_eyebrows: -1, big_lips: 1, oval_face: -1, double_chin: -1, receding_hairline: -1, narrow_eyes: -1, high_cheekbones: 1 }]);
  await store.upsertTraitAssessments([assessment("a", "gpt", [1, 2, 3, 0, 1]), assessment("a", "llama", [2, 2, 2, 2, 2])]);
  await store.writeFinals([{ person_id: "a", final_o: 1.5, final_c: 2, final_e: 2.5, final_a: 2, final_n: 1.5 }]);
  const table = await readTable(store);
  assert.deepEqual(table.names.slice(0, 4), ["id", "Height(cm)", "Weight(kg)", "Year"]);
  assert.ok(table.names.includes("gpt_o") && table.names.includes("llama_n") && table.names.includes("final_n"));
  assert.deepEqual(table.columns["id"], ["a", "b"]);
  assert.deepEqual(Array.from(table.columns["Height(cm)"] as Float64Array), [180, NaN]);
  assert.deepEqual(Array.from(table.columns["gpt_a"] as Float64Array), [0, NaN]);
  assert.deepEqual(Array.from(table.columns["Big_Lips"] as Float64Array), [1, NaN]);
  const some = await readTable(store, { columns: ["final_o", "Gender_idx"] });
  assert.deepEqual(some.names, ["final_o", "Gender_idx"]);
  await assert.rejects(readTable(store, { columns: ["Nope"] }), /column "Nope": no such column/);
  store.close();
});

test("readTable(csv) reads empty fields as NaN and numbers exactly as Number() does", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-read-"));
  const file = join(dir, "t.csv");
  await writeFile(file, "id,x,label\n1,0.1,a\n2,,b\n3,1e-3,\n");
  const table = await readTable(file);
  assert.deepEqual(table.names, ["id", "x", "label"]);
  assert.deepEqual(Array.from(table.columns["x"] as Float64Array), [0.1, NaN, 0.001]);
  assert.deepEqual(table.columns["label"], ["a", "b", ""]);
  const fixture = await readTable("test/fixtures/data/celeb_n1500_s0.csv", { columns: ["final_o", "Latitude"] });
  assert.equal(fixture.nRows, 1500);
  assert.equal((fixture.columns["Latitude"] as Float64Array)[0], 35.0604);
});

test("writeFinals / writeFaceAttributes do not store all-null rows and remove an older row of that person", async () => {
  const store = await openStore(":memory:");
  await store.writeFinals([{ person_id: "a", final_o: 1, final_c: 2, final_e: 3, final_a: 2, final_n: 1 }, { person_id: "b", final_o: 2, final_c: null, final_e: null, final_a: null, final_n: null }]);
  await store.writeFinals([{ person_id: "a", final_o: null, final_c: null, final_e: null, final_a: null, final_n: null }]);
  assert.deepEqual((await store.readFinals()).map((r) => r.person_id), ["b"]);
  const none = { arched_eyebrows: null, big_nose: null, pointy_nose: null, bushy_eyebrows: null, big_lips: null, oval_face: null, double_chin: null, receding_hairline: null, narrow_eyes: null, high_cheekbones: null };
  await store.writeFaceAttributes([{ person_id: "a", ...none }, { person_id: "b", ...none, big_nose: -1 }]);
  assert.deepEqual((await store.readFaceAttributes()).map((r) => r.person_id), ["b"]);
  store.close();
});

test("openStore(readOnly) on a DuckDB file that is not a PersonaX store is a DataError naming the file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-foreign-"));
  const file = join(dir, "foreign.duckdb");
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  await connection.run("CREATE TABLE t (x INTEGER)");
  connection.closeSync();
  instance.closeSync();
  await assert.rejects(openStore(file, { readOnly: true }), (error: unknown) =>
    error instanceof DataError && /foreign\.duckdb: not a PersonaX store/.test(error.message) && /fix: pass a \.duckdb store written by personax/.test(error.message));
});

test("readTable(store, { flavour }) refuses a flavour the store does not hold instead of returning an empty table", async () => {
  const store = await openStore(":memory:");
  try {
    await store.insertPersons([{ id: "a1", flavour: "athle", birth_year: 1990, birth_month: null, birth_day: null, latitude: null, longitude: null,
      height_cm: 190, weight_kg: null, occupation: null, gender: null, league: 0 }]);
    assert.equal((await readTable(store)).nRows, 1);
    await assert.rejects(readTable(store, { flavour: "celeb" }), /holds no celeb persons \(it has: athle\)\n  fix: import that dataset first, or pick another --flavour/);
  } finally { store.close(); }
});

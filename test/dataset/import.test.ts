/**
 * The bad-input catalogue of issue 2: one test per case, each asserting that the message names the file,
 * the row (1-based, header = row 1) and the column, and says how to fix it. Plus atomicity and mapping.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdtemp, readFile, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../src/dataset/store.ts";
import { importFile, readMappingFile } from "../../src/dataset/import.ts";
import { exportTable } from "../../src/dataset/export.ts";
import { DataError } from "../../src/errors.ts";
import { snapshot } from "./snapshot.ts";

const ATHLE_HEADER = "id,final_o,final_c,final_e,final_a,final_n,Birthyear,Birthmonth,Birthday,Type,Latitude,Longitude,Height,Weight";
const athleRow = (id: string | number, over: Record<number, string> = {}) => {
  const fields = [String(id), "7.7", "6.6", "6.5", "7.1", "4.3", "1997", "2", "16", "0", "39.1448", "-112.0117", "191", "108"];
  for (const [i, v] of Object.entries(over)) fields[Number(i)] = v;
  return fields.join(",");
};

async function tmp(name: string, content: string | Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "personax-bad-"));
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

/** Expects importFile to fail with a DataError whose message contains every pattern. */
async function expectDataError(store: Store, file: string, patterns: RegExp[], options = {}): Promise<DataError> {
  const before = await snapshot(store);
  const runs = (await store.counts()).runs;
  let caught: unknown;
  try { await importFile(store, file, options); } catch (error) { caught = error; }
  assert.ok(caught instanceof DataError, `expected a DataError, got ${String(caught)}`);
  for (const p of patterns) assert.match(caught.message, p);
  assert.match(caught.message, /fix: /);
  // Atomic: the failed import left the store exactly as it was.
  assert.deepEqual(await snapshot(store), before);
  assert.equal((await store.counts()).runs, runs);
  return caught;
}

test("bad input: an empty file is rejected at row 1 with how to fix it", async () => {
  const store = await openStore(":memory:");
  const file = await tmp("empty.csv", "");
  await expectDataError(store, file, [/empty\.csv, row 1: the file is empty/, /write a header row/]);
  store.close();
});

test("bad input: a header without data rows is rejected at row 2", async () => {
  const store = await openStore(":memory:");
  const file = await tmp("header.csv", ATHLE_HEADER + "\n");
  await expectDataError(store, file, [/header\.csv, row 2: the file has a header but no data rows/, /add at least one row/]);
  store.close();
});

test("bad input: an unknown column is named, with the mapping that would fix it", async () => {
  const store = await openStore(":memory:");
  const file = await tmp("unknown.csv", `${ATHLE_HEADER},Shoe_size\n${athleRow(1)},44\n`);
  const e = await expectDataError(store, file, [/unknown\.csv, row 1, column "Shoe_size": unknown column for the athle layout/, /\{"Shoe_size": null\}/]);
  assert.equal(e.column, "Shoe_size");
  store.close();
});

test("bad input: a missing required column is named, with the mapping that would fix it", async () => {
  const store = await openStore(":memory:");
  const header = ATHLE_HEADER.replace(",Weight", "");
  const file = await tmp("missing.csv", `${header}\n${athleRow(1).replace(/,108$/, "")}\n`);
  await expectDataError(store, file, [/missing\.csv, row 1, column "Weight": missing required column of the athle layout/, /"<your name>": "Weight"/], { format: "athle" });
  store.close();
});

test("bad input: a duplicate id names the row of the repeat and the row of the first use", async () => {
  const store = await openStore(":memory:");
  const file = await tmp("dup.csv", [ATHLE_HEADER, athleRow(1), athleRow(2), athleRow(3), athleRow(2)].join("\n") + "\n");
  await expectDataError(store, file, [/dup\.csv, row 5, column "id": duplicate id "2" \(first used on row 3\)/, /unique id/]);
  store.close();
});

test("bad input: an id already in the store is rejected unless --replace", async () => {
  const store = await openStore(":memory:");
  await importFile(store, await tmp("a.csv", [ATHLE_HEADER, athleRow(1), athleRow(2)].join("\n")));
  const file = await tmp("b.csv", [ATHLE_HEADER, athleRow(3), athleRow(2, { 6: "1980" })].join("\n"));
  await expectDataError(store, file, [/b\.csv, row 3, column "id": id "2" is already in the store/, /--replace/]);
  await importFile(store, file, { replace: true });
  assert.deepEqual((await store.readPersons()).map((p) => [p.id, p.birth_year]), [["1", 1997], ["2", 1980], ["3", 1997]]);
  store.close();
});

test("bad input: a wrong type names the row, the column and the value", async () => {
  const store = await openStore(":memory:");
  const file = await tmp("types.csv", [ATHLE_HEADER, athleRow(1), athleRow(2), athleRow(3, { 12: "tall" })].join("\n") + "\n");
  await expectDataError(store, file, [/types\.csv, row 4, column "Height": "tall" is not a number/, /write a number/]);
  const fraction = await tmp("frac.csv", [ATHLE_HEADER, athleRow(1, { 9: "2.5" })].join("\n") + "\n");
  await expectDataError(store, fraction, [/frac\.csv, row 2, column "Type": "2.5" is not a whole number/]);
  const range = await tmp("range.csv", [ATHLE_HEADER, athleRow(1), athleRow(2, { 7: "13" })].join("\n") + "\n");
  await expectDataError(store, range, [/range\.csv, row 3, column "Birthmonth": 13 is outside 1\.\.12/]);
  store.close();
});

test("bad input: a column with only empty / NaN values is named with the rows it spans", async () => {
  const store = await openStore(":memory:");
  const file = await tmp("nan.csv", [ATHLE_HEADER, athleRow(1, { 11: "" }), athleRow(2, { 11: "NaN" }), athleRow(3, { 11: "" })].join("\n") + "\n");
  await expectDataError(store, file, [/nan\.csv, row 2, column "Longitude": every value is empty or NaN \(rows 2\.\.4\)/, /map it away/]);
  // The fix works: a required column mapped away is imported as missing.
  await importFile(store, file, { mapping: { Longitude: null } });
  assert.deepEqual((await store.readPersons()).map((p) => p.longitude), [null, null, null]);
  store.close();
});

test("bad input: non-UTF-8 bytes are located by row and column", async () => {
  const store = await openStore(":memory:");
  const good = Buffer.from([ATHLE_HEADER, athleRow(1), athleRow(2)].join("\n") + "\n");
  const bad = Buffer.concat([good, Buffer.from("3,7.7,6.6,6.5,7.1,4.3,1997,2,16,0,39.1,-112.0,19"), Buffer.from([0xe9, 0xff]), Buffer.from(",108\n")]);
  const file = await tmp("latin1.csv", bad);
  await expectDataError(store, file, [/latin1\.csv, row 4, column "Height": the file is not UTF-8 encoded/, /iconv/]);
  store.close();
});

test("bad input: a truncated Parquet file is rejected with how to fix it", async () => {
  const store = await openStore(":memory:");
  const source = await openStore(":memory:");
  await importFile(source, "test/fixtures/data/athle_n500_s0.csv");
  const file = join(await mkdtemp(join(tmpdir(), "personax-pq-")), "persons.parquet");
  await exportTable(source, "persons", file);
  await truncate(file, Math.floor((await stat(file)).size / 2));
  await expectDataError(store, file, [/persons\.parquet: not a readable Parquet file/, /truncated/]);
  source.close(); store.close();
});

test("bad input: a mapping naming a column the file does not have is rejected, naming the mapping file", async () => {
  const store = await openStore(":memory:");
  const file = await tmp("data.csv", [ATHLE_HEADER, athleRow(1)].join("\n"));
  const mappingFile = await tmp("map.json", JSON.stringify({ Height_cm: "Height" }));
  const mapping = await readMappingFile(mappingFile);
  await expectDataError(store, file, [/map\.json, column "Height_cm": the mapping renames column "Height_cm", but data\.csv has no such column/, /use one of the file's columns: id, final_o/],
    { mapping, mappingFile });
  store.close();
});

test("a mapping renames columns and drops others; aliases such as League are accepted", async () => {
  const store = await openStore(":memory:");
  const header = ATHLE_HEADER.replace("Height", "Height_cm").replace("Type", "League") + ",notes";
  const file = await tmp("mapped.csv", [header, athleRow(1) + ",hello"].join("\n"));
  const result = await importFile(store, file, { mapping: { Height_cm: "Height", notes: null } });
  assert.equal(result.format, "athle");
  const [p] = await store.readPersons();
  assert.equal(p!.height_cm, 191);
  assert.equal(p!.league, 0);
  store.close();
});

test("a failure while writing (after persons were inserted) rolls the whole import back", async () => {
  const store = await openStore(":memory:");
  await importFile(store, "test/fixtures/data/athle_n500_s0.csv");
  // An embedding column in CSV is text, not a vector: detected in the write phase, after the persons INSERT.
  const file = await tmp("late.csv", [`${ATHLE_HEADER},face_embedding_0`, `${athleRow(9001)},"[1,2]"`].join("\n"));
  await expectDataError(store, file, [/late\.csv, row 1, column "face_embedding_0": embedding column has type VARCHAR/]);
  assert.equal((await store.counts()).persons, 500);
  store.close();
});

test("a CSV without id numbers the rows; finals are aggregated from per-LLM scores when absent", async () => {
  const store = await openStore(":memory:");
  const original = await readFile("test/fixtures/data/celeb_n1500_s0.csv", "utf8");
  const lines = original.split("\n");
  const header = lines[0]!.split(",");
  const keep = header.map((h, i) => [h, i] as const).filter(([h]) => !h.startsWith("final_")).map(([, i]) => i);
  const stripped = lines.filter((l) => l).map((l) => keep.map((i) => l.split(",")[i]).join(",")).join("\n");
  const file = await tmp("nofinals.csv", stripped);
  const result = await importFile(store, file);
  assert.equal(result.persons, 1500);
  const reference = await openStore(":memory:");
  await importFile(reference, "test/fixtures/data/celeb_n1500_s0.csv");
  assert.deepEqual(await store.readFinals(), await reference.readFinals());
  assert.equal((await store.readPersons())[0]!.id, "celeb-000001");
  store.close(); reference.close();
});

test("JSON and TSV files import like CSV", async () => {
  const store = await openStore(":memory:");
  const rows = [{ id: "x1", final_o: 7.7, final_c: 6.6, final_e: 6.5, final_a: 7.1, final_n: 4.3, Birthyear: 1997, Birthmonth: 2, Birthday: 16, Type: 0, Latitude: 39.1448, Longitude: -112.0117, Height: 191, Weight: 108 }];
  await importFile(store, await tmp("p.json", JSON.stringify(rows)));
  await importFile(store, await tmp("p.tsv", [ATHLE_HEADER, athleRow("x2")].join("\n").replace(/,/g, "\t")));
  assert.deepEqual((await store.readPersons()).map((p) => [p.id, p.latitude]), [["x1", 39.1448], ["x2", 39.1448]]);
  store.close();
});

test("copying a fixture keeps import deterministic (same file twice into two stores gives the same snapshot)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-det-"));
  await copyFile("test/fixtures/data/celeb_n1500_s0.csv", join(dir, "c.csv"));
  const a = await openStore(":memory:"), b = await openStore(":memory:");
  await importFile(a, "test/fixtures/data/celeb_n1500_s0.csv");
  await importFile(b, join(dir, "c.csv"));
  assert.deepEqual(await snapshot(a), await snapshot(b));
  a.close(); b.close();
});

test("rows stored earlier for an id that is then imported cannot create a duplicate key", async () => {
  const store = await openStore(":memory:");
  await store.upsertTraitAssessments([{ person_id: "celeb-000002", llm: "gpt", protocol: "Number-L3-Inc", repeat: 0,
    description_o: null, description_c: null, description_e: null, description_a: null, description_n: null,
    score_o: 1, score_c: 1, score_e: 1, score_a: 1, score_n: 1, raw_reply: null, created_at: null }]);
  const before = await snapshot(store);
  await assert.rejects(importFile(store, "test/fixtures/data/celeb_n1500_s0.csv"),
    /celeb_n1500_s0\.csv, row 3, column "id": trait_assessments would hold the key .*celeb-000002.* twice/);
  assert.deepEqual(await snapshot(store), before);
  await assert.rejects(store.upsertTraitAssessments([1, 2].map(() => ({ person_id: "x", llm: "gpt", protocol: "p", repeat: 0,
    description_o: null, description_c: null, description_e: null, description_a: null, description_n: null,
    score_o: 1, score_c: 1, score_e: 1, score_a: 1, score_n: 1, raw_reply: null, created_at: null }))), /repeat the key/);
  store.close();
});

test("bad input: a mapping file that is missing, not JSON, or not an object of names is a ConfigError naming the file with an example", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-map-"));
  await assert.rejects(readMappingFile(join(dir, "none.json")), /none\.json: cannot read the file \(ENOENT\)\n  fix: write e\.g\. \{"Height_cm": "Height\(cm\)"/);
  await writeFile(join(dir, "broken.json"), "{\"Height_cm\": ");
  await assert.rejects(readMappingFile(join(dir, "broken.json")), /broken\.json: not valid JSON: .*\n  fix: write e\.g\./);
  await writeFile(join(dir, "list.json"), "[\"Height_cm\"]");
  await assert.rejects(readMappingFile(join(dir, "list.json")), /list\.json: a mapping must be a JSON object of column name → new name \(or null\)/);
  await writeFile(join(dir, "ok.json"), "{\"Height_cm\": \"Height(cm)\", \"notes\": null}");
  assert.deepEqual(await readMappingFile(join(dir, "ok.json")), { Height_cm: "Height(cm)", notes: null });
});

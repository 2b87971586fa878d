import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newPrivacyKey, OrthogonalTransform, randomOrthogonal, readPrivacyKey } from "../../src/embed/privacy.ts";
import { prepareRelease } from "../../src/embed/release.ts";
import { openStore } from "../../src/dataset/store.ts";
import { writeIdentities } from "../../src/traits/identities.ts";
import { Rng } from "../../src/util/rng.ts";

test("randomOrthogonal() is orthogonal (QᵀQ = I to 1e-12) and reproducible from its seed", () => {
  const d = 48;
  const q = randomOrthogonal(d, new Rng(5));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += q[k * d + i]! * q[k * d + j]!;
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-12, `(${i},${j}) = ${s}`);
    }
  }
  assert.deepEqual(randomOrthogonal(d, new Rng(5)), q);
  assert.notDeepEqual(randomOrthogonal(d, new Rng(6)), q);
});

test("OrthogonalTransform keeps distances, changes coordinates, and the key inverts it", () => {
  const key = newPrivacyKey({ face: 32 }, { face: 11 });
  const t = OrthogonalTransform.fromKey(key, "face");
  const rng = new Rng(2);
  const a = Float32Array.from(rng.normals(32)), b = Float32Array.from(rng.normals(32));
  const ta = t.apply(a), tb = t.apply(b);
  const dist = (x: Float32Array, y: Float32Array) => Math.hypot(...x.map((v, i) => v - y[i]!));
  assert.ok(Math.abs(dist(a, b) - dist(ta, tb)) < 1e-4);
  assert.ok(dist(a, ta) > 1, "coordinates changed");
  const back = t.invert(ta);
  for (let i = 0; i < 32; i++) assert.ok(Math.abs(back[i]! - a[i]!) < 1e-5);
  assert.throws(() => OrthogonalTransform.fromKey(key, "text"), /no transform for embedding kind "text"/);
});

test("prepareRelease() transforms embeddings, drops names and free text, and keeps the key outside the release", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-release-"));
  try {
    const source = join(dir, "work.duckdb");
    const store = await openStore(source);
    await store.insertPersons([{ id: "p1", flavour: "celeb", birth_year: 1980, birth_month: 1, birth_day: 2, latitude: null, longitude: null, height_cm: null, weight_kg: null, occupation: 0, gender: 1, league: null }]);
    await store.writeCategories([{ variable: "occupation", code: 0, label: "Actor https://example.org/actor" }]);
    await writeIdentities(store, [{ personId: "p1", name: "Secret Name", context: "actor" }]);
    await store.upsertTraitAssessments([{ person_id: "p1", llm: "gpt", protocol: "Number-L3-Inc", repeat: 0, description_o: "curious", description_c: "tidy",
      description_e: "loud", description_a: "kind", description_n: "calm", score_o: 3, score_c: 2, score_e: 3, score_a: 2, score_n: 1, raw_reply: "{…}", created_at: new Date() }]);
    const original = Float32Array.from(new Rng(1).normals(16));
    await store.writeEmbeddings([{ person_id: "p1", kind: "text", measurement: 0, model: "tfidf-svd-16", vector: original }]);
    store.close();

    const releaseDir = join(dir, "release");
    await assert.rejects(prepareRelease({ source, out: join(releaseDir, "r.duckdb"), keyFile: join(releaseDir, "key.json") }), /inside the release folder/);
    const keyFile = join(dir, "secret-key.json");
    const summary = await prepareRelease({ source, out: join(releaseDir, "r.duckdb"), keyFile });
    assert.equal(summary.keyCreated, true);
    assert.deepEqual(summary.transformed, { text: 1 });

    const release = await openStore(join(releaseDir, "r.duckdb"), { readOnly: true });
    try {
      const [assessment] = await release.readTraitAssessments();
      assert.equal(assessment!.description_o, null);
      assert.equal(assessment!.raw_reply, null);
      assert.equal(assessment!.score_o, 3, "scores stay");
      assert.equal((await release.readCategories())[0]!.label, "Actor");
      const tables = (await release.query<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables()`)).map((r) => r.t);
      assert.ok(!tables.includes("person_identities") && !tables.includes("llm_calls"));
      const released = (await release.readEmbeddings("text"))[0]!.data;
      assert.ok(Math.hypot(...released.map((v, i) => v - original[i]!)) > 0.5, "the released vector is transformed");
      const back = OrthogonalTransform.fromKey(await readPrivacyKey(keyFile), "text").invert(released);
      for (let i = 0; i < 16; i++) assert.ok(Math.abs(back[i]! - original[i]!) < 1e-5);
      const text = JSON.stringify(await release.query(`SELECT * FROM runs`));
      assert.doesNotMatch(text, /seed":\s*\d{6,}/, "the key's seed is not recorded in the release");
    } finally { release.close(); }
    assert.match(await readFile(keyFile, "utf8"), /"orthogonal"/);

    // --include-raw keeps the free text (not for public release); the same key gives the same transform.
    const raw = await prepareRelease({ source, out: join(releaseDir, "raw.duckdb"), keyFile, includeRaw: true });
    assert.equal(raw.keyCreated, false);
    const rawStore = await openStore(join(releaseDir, "raw.duckdb"), { readOnly: true });
    const first = await openStore(join(releaseDir, "r.duckdb"), { readOnly: true });
    try {
      assert.equal((await rawStore.readTraitAssessments())[0]!.description_o, "curious");
      assert.equal((await rawStore.readCategories())[0]!.label, "Actor https://example.org/actor");
      assert.deepEqual((await rawStore.readEmbeddings("text"))[0]!.data, (await first.readEmbeddings("text"))[0]!.data);
    } finally { rawStore.close(); first.close(); }

    // Text embeddings of another size (a second text model, 24-d) get their own transform in the same key.
    const other = join(dir, "other.duckdb");
    const s2 = await openStore(other);
    await s2.insertPersons([{ id: "q", flavour: "athle", birth_year: null, birth_month: null, birth_day: null, latitude: null, longitude: null, height_cm: null, weight_kg: null, occupation: null, gender: null, league: null }]);
    const v16 = Float32Array.from(new Rng(3).normals(16)), v24 = Float32Array.from(new Rng(4).normals(24));
    await s2.writeEmbeddings([{ person_id: "q", kind: "text", measurement: 0, model: "tfidf-svd-16", vector: v16 },
      { person_id: "q", kind: "text", measurement: 0, model: "provider-24", vector: v24 }]);
    s2.close();
    const both = await prepareRelease({ source: other, out: join(releaseDir, "both.duckdb"), keyFile });
    assert.deepEqual(both.transformed, { text: 2 });
    const key = await readPrivacyKey(keyFile);
    assert.deepEqual(Object.entries(key.kinds).map(([k, v]) => [k, v.dim]), [["text", 16], ["text-24d", 24]]);
    const bothStore = await openStore(join(releaseDir, "both.duckdb"), { readOnly: true });
    try {
      const blocks = await bothStore.readEmbeddings("text");
      const byModel = new Map(blocks.map((b) => [b.model, b.data]));
      const back16 = OrthogonalTransform.fromKey(key, "text").invert(byModel.get("tfidf-svd-16")!);
      const back24 = OrthogonalTransform.fromKey(key, "text-24d").invert(byModel.get("provider-24")!);
      for (let i = 0; i < 16; i++) assert.ok(Math.abs(back16[i]! - v16[i]!) < 1e-5);
      for (let i = 0; i < 24; i++) assert.ok(Math.abs(back24[i]! - v24[i]!) < 1e-5);
    } finally { bothStore.close(); }

    // A key file that is not a privacy key fails without leaving a half-made release.
    const badKey = join(dir, "bad-key.json");
    await writeFile(badKey, JSON.stringify({ version: 2 }));
    const badOut = join(releaseDir, "bad.duckdb");
    await assert.rejects(prepareRelease({ source: other, out: badOut, keyFile: badKey }), /bad-key\.json: not a privacy key/);
    assert.equal(existsSync(badOut), false, "no partial release store is left behind");
  } finally { await rm(dir, { recursive: true, force: true }); }
});

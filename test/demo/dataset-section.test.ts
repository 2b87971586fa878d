import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { datasetSection, type DatasetArtifacts } from "../../src/demo/dataset-section.ts";
import { recordingIo } from "../../src/cli/io.ts";
import { openStore } from "../../src/dataset/store.ts";

test("the dataset demo section writes both tables, the store and the HF exports, and shows an identical round trip", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-demo-dataset-"));
  const ctx = { dir, seed: 11, io: recordingIo(), quick: true, artifacts: new Map<string, unknown>() };
  const section = await datasetSection.run(ctx);
  assert.match(section.html, /<td>persons<\/td><td[^>]*>1000<\/td><td[^>]*>1000<\/td>/);
  assert.doesNotMatch(section.html, />NO</);
  const a = ctx.artifacts.get("dataset") as DatasetArtifacts;
  for (const p of [a.storePath, a.celebCsv, a.athleCsv, a.celebTruth, a.athleTruth, join(a.hfDirs.celeb, "README.md"), join(a.hfDirs.athle, "data")]) assert.ok(existsSync(p), p);
  const store = await openStore(a.storePath, { readOnly: true });
  const counts = await store.counts();
  assert.equal(counts.persons, 1000);
  assert.equal(counts.embeddings, 1000 * 6);
  store.close();
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { homedir } from "node:os";
import { join } from "node:path";
import { globToRegExp, parseHfPath } from "../../src/dataset/hf-path.ts";
import { checkRepoId, hfEnvironment, parquetFilesOfSplit, repoCacheDir } from "../../src/dataset/hf-hub.ts";

test("parseHfPath(hf://datasets/OWNER/NAME[@rev]/path) splits repository, revision (default main) and path", () => {
  assert.deepEqual(parseHfPath("hf://datasets/Persona-X/celebpersona"), { repo: "Persona-X/celebpersona", revision: "main", path: "" });
  assert.deepEqual(parseHfPath("hf://datasets/a/b@v1.0/data/*.parquet"), { repo: "a/b", revision: "v1.0", path: "data/*.parquet" });
  assert.throws(() => parseHfPath("hf://models/a/b"), /not a Hugging Face dataset path/);
  assert.throws(() => parseHfPath("hf://datasets/onlyowner"), /does not name a dataset/);
});

test("globToRegExp: * and ? stay within a folder, ** crosses folders", () => {
  assert.ok(globToRegExp("data/*.parquet").test("data/train-0.parquet"));
  assert.ok(!globToRegExp("data/*.parquet").test("data/x/train-0.parquet"));
  assert.ok(globToRegExp("**/*.parquet").test("default/train/0000.parquet"));
  assert.ok(globToRegExp("**/*.parquet").test("top.parquet"));
  assert.ok(globToRegExp("data/train-0000?-of-00001.parquet").test("data/train-00000-of-00001.parquet"));
  assert.ok(!globToRegExp("a.b").test("axb"));
});

test("parquetFilesOfSplit picks a split by folder or file-name prefix; default train, else every Parquet file", () => {
  const files = ["README.md", "data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet", "data/test-00000-of-00001.parquet", "default/validation/0000.parquet"].map((path) => ({ path }));
  assert.deepEqual(parquetFilesOfSplit(files).map((f) => f.path), ["data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet"]);
  assert.deepEqual(parquetFilesOfSplit(files, "test").map((f) => f.path), ["data/test-00000-of-00001.parquet"]);
  assert.deepEqual(parquetFilesOfSplit(files, "validation").map((f) => f.path), ["default/validation/0000.parquet"]);
  assert.equal(parquetFilesOfSplit([{ path: "x/all.parquet" }]).length, 1);
});

test("hfEnvironment follows huggingface_hub's variables and defaults", () => {
  const d = hfEnvironment({});
  assert.equal(d.endpoint, "https://huggingface.co");
  assert.equal(d.cacheDir, join(homedir(), ".cache", "huggingface", "hub"));
  assert.equal(d.offline, false);
  assert.equal(d.token, undefined);
  const e = hfEnvironment({ HF_ENDPOINT: "http://127.0.0.1:1/", HF_HOME: "/h", HF_HUB_OFFLINE: "1", HF_TOKEN: "t" });
  assert.deepEqual(e, { endpoint: "http://127.0.0.1:1", token: "t", cacheDir: "/h/hub", offline: true });
  assert.equal(hfEnvironment({ XDG_CACHE_HOME: "/x" }).cacheDir, "/x/huggingface/hub");
  assert.equal(hfEnvironment({ HF_HUB_CACHE: "/c", HF_HOME: "/h" }).cacheDir, "/c");
  assert.equal(repoCacheDir(e, "Persona-X/celebpersona"), "/h/hub/datasets--Persona-X--celebpersona");
  assert.throws(() => checkRepoId("../etc"), /not a dataset id/);
  assert.throws(() => checkRepoId("a/b/c"), /not a dataset id/);
});

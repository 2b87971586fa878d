/**
 * Must-show 1 of issue 18: `personax import --hf` against a fake Hub on 127.0.0.1 serving what the project's
 * own `export --hf` writes: success (into huggingface_hub's cache layout), a 401 with a bad token, a 404
 * repository, a connection cut mid-file that resumes with a Range request, and offline from the cache.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, writeFileSync, statSync, mkdirSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.ts";
import { recordingIo } from "../../src/cli/io.ts";
import { openStore } from "../../src/dataset/store.ts";
import { readTable } from "../../src/dataset/read-table.ts";
import { snapshot } from "../dataset/snapshot.ts";
import { planMapping } from "../../src/dataset/hf-mapping.ts";
import { parquetSchema } from "../../src/dataset/hf-import.ts";
import { startFakeHub, type FakeHub } from "./fake-hub.ts";

const REPO = "Persona-X/celebpersona";
const GATED = "Persona-X/gated";
const TOKEN = "hf_secretTOKEN_never_printed_123";
let dir: string, hub: FakeHub, original: Record<string, string>;
/** The HF_HOME the first test filled (the offline test reads it). */
let warmEnv: Record<string, string | undefined> | undefined;

/** Runs `fn` with these environment variables set (undefined = unset), then restores them. */
async function withEnv<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) { saved[k] = process.env[k]; if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  }
}

async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  return withEnv(env, async () => {
    const io = recordingIo();
    const code = await runCli(args, io);
    return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
  });
}

/** A fresh HF_HOME pointing at the fake Hub. */
async function hubEnv(extra: Record<string, string> = {}): Promise<Record<string, string | undefined>> {
  return { HF_ENDPOINT: hub.endpoint, HF_HOME: await mkdtemp(join(dir, "hf-home-")), HF_TOKEN: undefined, HF_HUB_OFFLINE: undefined, HF_HUB_CACHE: undefined, ...extra };
}

/** readTable under the given Hub environment. */
async function readWith(env: Record<string, string | undefined>, source: string, columns?: string[]) {
  return withEnv(env, () => readTable(source, columns ? { columns } : {}));
}

const cacheRoot = (env: Record<string, string | undefined>, repo = REPO) => join(env["HF_HOME"]!, "hub", `datasets--${repo.replace("/", "--")}`);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "personax-hf-"));
  assert.equal((await cli(["synth", "table", "--flavour", "celeb", "--n", "120", "--seed", "4", "--embeddings", "--out", join(dir, "s.duckdb")])).code, 0);
  const e = await cli(["export", "--store", join(dir, "s.duckdb"), "--hf", join(dir, "repo"), "--rows-per-shard", "50"]);
  assert.equal(e.code, 0, e.err);
  const store = await openStore(join(dir, "s.duckdb"), { readOnly: true });
  original = await snapshot(store);
  store.close();
  hub = await startFakeHub({ [REPO]: { dir: join(dir, "repo") }, [GATED]: { dir: join(dir, "repo"), token: TOKEN } });
});
after(() => hub.close());

test("import --hf downloads the train split into the HF cache layout, prints schema and mapping, and imports exactly", async () => {
  const env = await hubEnv();
  const r = await cli(["import", "--hf", REPO, "--store", join(dir, "ok.duckdb")], env);
  assert.equal(r.code, 0, r.err);
  warmEnv = env;
  assert.match(r.out, /schema found \(\d+ columns\) and mapping used \(celeb layout\)/);
  assert.match(r.out, /face_embedding_0\s+FLOAT\[\]\s+→ face_embedding_0\s+embedding/);
  assert.match(r.out, /imported 120 celeb persons from hf:\/\/datasets\/Persona-X\/celebpersona@main/);
  const store = await openStore(join(dir, "ok.duckdb"), { readOnly: true });
  assert.deepEqual(await snapshot(store), original);
  store.close();
  // huggingface_hub's layout: blobs named by sha256, snapshot symlinks, refs/main = the commit.
  const root = cacheRoot(env);
  const commit = readFileSync(join(root, "refs", "main"), "utf8");
  assert.match(commit, /^[0-9a-f]{40}$/);
  const shards = readdirSync(join(root, "snapshots", commit, "data")).sort();
  assert.deepEqual(shards, ["train-00000-of-00003.parquet", "train-00001-of-00003.parquet", "train-00002-of-00003.parquet"]);
  for (const s of shards) {
    const link = join(root, "snapshots", commit, "data", s);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.match(readlinkSync(link), /^\.\.\/\.\.\/\.\.\/blobs\/[0-9a-f]{64}$/);
    assert.equal(statSync(link).size, statSync(join(dir, "repo", "data", s)).size);
  }
  assert.deepEqual(readdirSync(join(root, "blobs")).filter((b) => b.endsWith(".incomplete")), []);
  // The same files are read by readTable through an hf:// path (cached: no new downloads).
  const before = hub.requests.filter((q) => q.url.includes("/resolve/") && q.method === "GET").length;
  const table = await readWith(env, `hf://datasets/${REPO}/data/train-*.parquet`, ["id", "final_o", "Big_Nose"]);
  assert.equal(table.nRows, 120);
  assert.equal((await readWith(env, `hf://datasets/${REPO}@main/data/train-00002-of-00003.parquet`)).nRows, 20);
  assert.equal(hub.requests.filter((q) => q.url.includes("/resolve/") && q.method === "GET").length, before);
});

test("import --hf with a bad token: the Hub's 401 becomes exit 2 naming HF_TOKEN, and the token is never printed", async () => {
  const env = await hubEnv({ HF_TOKEN: TOKEN.replace("123", "999") });
  const r = await cli(["import", "--hf", GATED, "--store", join(dir, "gated.duckdb")], env);
  assert.equal(r.code, 2);
  assert.match(r.err, /refused access to dataset Persona-X\/gated \(HTTP 401\) with the token in HF_TOKEN/);
  assert.match(r.err, /fix: .*HF_TOKEN/);
  assert.ok(!(r.out + r.err).includes("hf_secret"), "the token must not appear in the output");
  assert.ok(!existsSync(join(dir, "gated.duckdb")) || (await storePersons(join(dir, "gated.duckdb"))) === 0);
  // With the right token the gated dataset downloads (read here through readTable's hf:// path).
  const table = await readWith({ ...env, HF_TOKEN: TOKEN }, `hf://datasets/${GATED}`, ["id"]);
  assert.equal(table.nRows, 120);
  assert.ok(hub.requests.some((q) => q.url.startsWith(`/api/datasets/${GATED}/tree/main`) && q.authorized));
});

async function storePersons(path: string): Promise<number> {
  const store = await openStore(path, { readOnly: true });
  try { return Number((await store.query<{ n: number }>("SELECT count(*) AS n FROM persons"))[0]!.n); } finally { store.close(); }
}

test("import --hf of a repository or revision the Hub does not have exits 2 with 'not found' and the fix", async () => {
  const env = await hubEnv();
  const r = await cli(["import", "--hf", "Persona-X/no-such-dataset", "--store", join(dir, "nf.duckdb")], env);
  assert.equal(r.code, 2);
  assert.match(r.err, /listing the files of dataset Persona-X\/no-such-dataset@main: not found on http:\/\/127\.0\.0\.1:\d+ \(HTTP 404\)/);
  assert.match(r.err, /fix: check the dataset id/);
  const rev = await cli(["import", "--hf", REPO, "--revision", "v9", "--store", join(dir, "nf.duckdb")], env);
  assert.equal(rev.code, 2);
  assert.match(rev.err, /no revision "v9"/);
  const split = await cli(["import", "--hf", REPO, "--split", "test", "--store", join(dir, "nf.duckdb")], env);
  assert.equal(split.code, 2);
  assert.match(split.err, /has no Parquet files of split "test"/);
});

test("a connection cut mid-file is resumed with a Range request, within one run and across runs", async () => {
  const env = await hubEnv();
  const shard = "data/train-00001-of-00003.parquet";
  const size = statSync(join(dir, "repo", shard)).size;
  const half = Math.floor(size / 2);
  hub.cutConnection(shard, half);
  const start = hub.requests.length;
  const r = await cli(["import", "--hf", REPO, "--store", join(dir, "cut.duckdb"), "--json"], env);
  assert.equal(r.code, 0, r.err);
  const result = JSON.parse(r.out);
  assert.equal(result.resumed, 1);
  assert.equal(result.persons, 120);
  const gets = hub.requests.slice(start).filter((q) => q.url.endsWith(shard) && q.method === "GET");
  assert.equal(gets.length, 2);
  assert.equal(gets[0]!.cutAt, half);
  assert.equal(gets[1]!.range, `bytes=${half}-`);
  assert.equal(gets[1]!.status, 206);
  const store = await openStore(join(dir, "cut.duckdb"), { readOnly: true });
  assert.deepEqual(await snapshot(store), original);
  store.close();

  // A run that gives up (every attempt cut) keeps the partial blob; the next run continues from it.
  const env2 = await hubEnv();
  hub.cutConnection(shard, half, 5);
  await assert.rejects(readWith(env2, `hf://datasets/${REPO}/${shard}`),
    /the connection failed 5 times .* of \d+ bytes are kept\n  fix: run the command again: the download resumes/);
  const partial = readdirSync(join(cacheRoot(env2), "blobs")).filter((b) => b.endsWith(".incomplete"));
  assert.equal(partial.length, 1);
  assert.equal(statSync(join(cacheRoot(env2), "blobs", partial[0]!)).size, half);
  const mark = hub.requests.length;
  assert.equal((await readWith(env2, `hf://datasets/${REPO}/${shard}`)).nRows, 50);
  const resumedGet = hub.requests.slice(mark).find((q) => q.url.endsWith(shard) && q.method === "GET");
  assert.equal(resumedGet?.range, `bytes=${half}-`);
});

test("HF_HUB_OFFLINE=1 imports from the cache without any request, and says what to do when nothing is cached", async () => {
  const env = warmEnv ?? (await hubEnv());
  if (!warmEnv) assert.equal((await cli(["import", "--hf", REPO, "--store", join(dir, "warm.duckdb")], env)).code, 0);
  const mark = hub.requests.length;
  const offline = { ...env, HF_HUB_OFFLINE: "1", HF_ENDPOINT: "http://127.0.0.1:9" };
  const r = await cli(["import", "--hf", REPO, "--store", join(dir, "offline.duckdb"), "--json"], offline);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).offline, true);
  assert.equal(JSON.parse(r.out).persons, 120);
  assert.equal(hub.requests.length, mark, "offline must not touch the network");
  const store = await openStore(join(dir, "offline.duckdb"), { readOnly: true });
  assert.deepEqual(await snapshot(store), original);
  store.close();
  const cold = await cli(["import", "--hf", REPO, "--store", join(dir, "cold.duckdb")], { ...(await hubEnv()), HF_HUB_OFFLINE: "1" });
  assert.equal(cold.code, 2);
  assert.match(cold.err, /HF_HUB_OFFLINE=1 and dataset Persona-X\/celebpersona@main is not in the cache/);
  assert.match(cold.err, /fix: run the same command once without HF_HUB_OFFLINE=1/);
});

test("unknown columns are listed and refused (or ignored on request); a list-of-floats column becomes an embedding; --mapping overrides", async () => {
  // A release-like layout: another embedding name, an extra column; served as its own repository.
  const repoDir = join(dir, "renamed");
  mkdirSync(join(repoDir, "data"), { recursive: true });
  const store = await openStore(join(dir, "s.duckdb"), { readOnly: true });
  const shards = readdirSync(join(dir, "repo", "data")).map((f) => `'${join(dir, "repo", "data", f)}'`).join(", ");
  await store.connection.run(`COPY (SELECT * EXCLUDE (face_embedding_0) RENAME (text_embedding_1 AS desc_vec_gemini), face_embedding_0 AS image_embedding,
    'x' || id AS wiki_note FROM read_parquet([${shards}])) TO '${join(repoDir, "data", "train-00000-of-00001.parquet")}' (FORMAT parquet)`);
  store.close();
  const other = await startFakeHub({ "someone/release": { dir: repoDir } });
  try {
    const env = { ...(await hubEnv()), HF_ENDPOINT: other.endpoint };
    const refused = await cli(["import", "--hf", "someone/release", "--store", join(dir, "u.duckdb")], env);
    assert.equal(refused.code, 2);
    assert.match(refused.out, /image_embedding\s+FLOAT\[\]\s+→ face_embedding_0\s+embedding \(by type\)/);
    assert.match(refused.out, /desc_vec_gemini\s+FLOAT\[\]\s+→ text_embedding_1\s+embedding \(by type\)/);
    assert.match(refused.out, /wiki_note\s+VARCHAR\s+→ -\s+unknown/);
    assert.match(refused.err, /1 column\(s\) not recognised for the celeb layout: wiki_note \(VARCHAR\)/);
    assert.match(refused.err, /--unknown ignore/);
    // --unknown ignore leaves the column out (the plan says so); the import is the same as with a mapping.
    const plan = planMapping(await parquetSchema([join(repoDir, "data", "train-00000-of-00001.parquet")]), "release", { unknown: "ignore" });
    assert.deepEqual(plan.mapping, { image_embedding: "face_embedding_0", desc_vec_gemini: "text_embedding_1", wiki_note: null });
    assert.deepEqual(plan.unknown, []);
    writeFileSync(join(dir, "map.json"), JSON.stringify({ wiki_note: null, desc_vec_gemini: "text_embedding_5" }));
    const mapped = await cli(["import", "--hf", "someone/release", "--store", join(dir, "m.duckdb"), "--mapping", join(dir, "map.json"), "--json"], env);
    assert.equal(mapped.code, 0, mapped.err);
    assert.equal(JSON.parse(mapped.out).plan.columns.find((c: { source: string }) => c.source === "desc_vec_gemini").by, "mapping");
    const m = await openStore(join(dir, "m.duckdb"), { readOnly: true });
    const measurements = await m.query<{ kind: string; measurement: number }>(`SELECT DISTINCT kind, measurement FROM embeddings ORDER BY kind, measurement`);
    m.close();
    assert.deepEqual(measurements.map((x) => `${x.kind}${x.measurement}`), ["face0", "face1", "face2", "text0", "text2", "text5"]);
  } finally {
    await other.close();
  }
});

/**
 * Issue 16, items 1, 2, 3 and 9 (LLM part): `personax traits infer` against a fake OpenAI-compatible server on
 * 127.0.0.1 that echoes keys, refuses requests, answers HTML or invalid JSON. Each test asserts the message,
 * the exit code and, where the command fails, that the store is exactly as before.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.ts";
import { recordingIo } from "../../src/cli/io.ts";
import { openStore } from "../../src/dataset/store.ts";
import { writeIdentities } from "../../src/traits/identities.ts";
import { CallCache } from "../../src/traits/call-cache.ts";
import { redactSecrets } from "../../src/traits/redact.ts";
import { startFakeLlmServer, type FakeLlmServer } from "../helpers/fake-llm-servers.ts";
import { storeState } from "../helpers/store-state.ts";

const KEY = "sk-hostile-SECRET-0123456789abcdefWXYZ";
const PERSONS = 3;
let server: FakeLlmServer;
let dir: string;

before(async () => {
  server = await startFakeLlmServer("openai");
  dir = await mkdtemp(join(tmpdir(), "personax-hostile-"));
  process.env.HOSTILE_KEY = KEY;
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
  delete process.env.HOSTILE_KEY;
});

async function cli(...args: string[]) {
  const io = recordingIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n"), all: [...io.stdout, ...io.stderr].join("\n") };
}

let stores = 0;
/** A store of PERSONS named persons and an LLM config with the given models (default: one "gpt"). */
async function setup(models: Array<Record<string, unknown>> = [{ name: "gpt" }]): Promise<{ store: string; config: string; names: string[] }> {
  const store = join(dir, `s${++stores}.duckdb`);
  const s = await openStore(store);
  const ids = Array.from({ length: PERSONS }, (_, i) => `p${stores}-${i}`);
  await s.insertPersons(ids.map((id) => ({ id, flavour: "athle", birth_year: null, birth_month: null, birth_day: null, latitude: null, longitude: null,
    height_cm: null, weight_kg: null, occupation: null, gender: null, league: null })));
  await writeIdentities(s, ids.map((id) => ({ personId: id, name: `Hostile ${id}`, context: "NHL" })));
  s.close();
  const config = join(dir, `llm${stores}.json`);
  await writeConfig(config, models);
  return { store, config, names: ids.map((id) => `Hostile ${id}`) };
}

async function writeConfig(path: string, models: Array<Record<string, unknown>>): Promise<void> {
  await writeFile(path, JSON.stringify({ models: models.map((m) => ({ provider: "openai", model: "fake-gpt", baseUrl: server.baseUrl, apiKeyEnv: "HOSTILE_KEY",
    concurrency: 1, maxRetries: 2, ...m })) }));
}

const requestsFor = (names: string[]) => server.requests.filter((r) => r.person !== undefined && names.includes(r.person));

test("1. a key echoed by a 401 is redacted from stdout, stderr and --json; the 401 stops the run after one request (exit 2, store unchanged)", async () => {
  const { store, config, names } = await setup();
  const before = await storeState(store);
  server.addFaults({ fault: "unauthorized", times: 1, person: names[0] });
  for (const json of [false, true]) {
    if (json) server.addFaults({ fault: "unauthorized", times: 1, person: names[0] });
    const r = await cli("traits", "infer", "--store", store, "--config", config, ...(json ? ["--json"] : []));
    assert.equal(r.code, 2, r.all);
    assert.ok(!r.all.includes(KEY) && !r.all.includes(KEY.slice(3, 20)), `the key leaked:\n${r.all}`);
    assert.match(r.err, /Incorrect API key provided: \[redacted …WXYZ\]/);
    assert.match(r.err, /the run stopped: gpt: HTTP 401: .*\(HTTP 401 is not temporary: not retried\)/);
    assert.match(r.err, /fix: check the key in the environment variable that model "gpt" names/);
    assert.doesNotMatch(r.all, /gave up after|rerun .*later/);
    assert.deepEqual(await storeState(store), before, "a run stopped at its first request leaves the store as it was");
  }
  assert.equal(requestsFor(names).length, 2, "one request per run: the 401 stopped each run");
  // Bearer-shaped strings are redacted from any message, and a stored reply loses the key but still parses.
  assert.equal(redactSecrets("Authorization: Bearer abc.def-ghi_jkl012"), "Authorization: Bearer [redacted]");
  assert.equal(redactSecrets("got AIzaSyA1234567890abcdefghijklmnopq from"), "got [redacted …nopq] from");
  assert.equal(redactSecrets(`{"note": "${KEY}"}`, [KEY], true), `{"note": "[redacted …WXYZ]"}`);
});

test("2. duplicate --models and --protocols entries buy each task once", async () => {
  const { store, config, names } = await setup();
  const r = await cli("traits", "infer", "--store", store, "--config", config, "--models", "gpt,gpt", "--protocols", "Number-L3-Inc,Number-L3-Inc", "--json");
  assert.equal(r.code, 0, r.all);
  const summary = JSON.parse(r.out);
  assert.equal(summary.tasks, PERSONS);
  assert.equal(summary.newCalls, PERSONS);
  assert.equal(requestsFor(names).length, PERSONS, "the server saw one request per person");
});

test("3. renaming a model keeps its assessments under the new name (0 calls), and two names for one model are refused", async () => {
  const { store, config, names } = await setup();
  let r = await cli("traits", "infer", "--store", store, "--config", config);
  assert.equal(r.code, 0, r.all);
  const requests = requestsFor(names).length;
  await writeConfig(config, [{ name: "gpt4o" }]);
  r = await cli("traits", "infer", "--store", store, "--config", config);
  assert.equal(r.code, 0, r.all);
  assert.match(r.out, new RegExp(`${PERSONS} tasks: ${PERSONS} ok \\(${PERSONS} from the store`));
  assert.match(r.out, new RegExp(`${PERSONS} stored task\\(s\\) of a renamed model now appear under its new name`));
  assert.match(r.err, /model renamed "gpt" → "gpt4o"/);
  assert.equal(requestsFor(names).length, requests, "no request: the replies are the same model's");
  const s = await openStore(store, { readOnly: true });
  try {
    const rows = await s.readTraitAssessments();
    assert.deepEqual([...new Set(rows.map((a) => a.llm))], ["gpt4o"]);
    assert.equal(rows.length, PERSONS);
  } finally { s.close(); }

  await writeConfig(config, [{ name: "gpt4o" }, { name: "gpt-copy" }]);
  const before = await storeState(store);
  r = await cli("traits", "infer", "--store", store, "--config", config);
  assert.equal(r.code, 2);
  assert.match(r.err, /models "gpt4o" and "gpt-copy" are the same model \(openai "fake-gpt" at http:\/\/127\.0\.0\.1:\d+\/v1, same parameters\)/);
  assert.match(r.err, /fix: keep one of the two entries/);
  assert.deepEqual(await storeState(store), before);
});

test("9. a 400 stops the run without 'retries … rerun later'; a 200 HTML page is reported as such (exit 2, store unchanged)", async () => {
  const { store, config, names } = await setup();
  const before = await storeState(store);
  server.addFaults({ fault: "bad-request", times: 1, person: names[0] });
  let r = await cli("traits", "infer", "--store", store, "--config", config);
  assert.equal(r.code, 2, r.all);
  assert.match(r.err, /the run stopped: gpt: HTTP 400: .*response_format.*\(HTTP 400 is not temporary: not retried\)/);
  assert.match(r.err, /fix: check model "gpt" in .*\(model id, baseUrl, structuredOutput\)/);
  assert.doesNotMatch(r.all, /gave up after|rerun .*later/);
  assert.equal(requestsFor(names).length, 1);
  assert.deepEqual(await storeState(store), before);

  server.addFaults({ fault: "html", times: 1, person: names[0] });
  r = await cli("traits", "infer", "--store", store, "--config", config);
  assert.equal(r.code, 2, r.all);
  assert.match(r.err, /answered HTTP 200 with an HTML page \("Welcome to nginx!"\); check the model's baseUrl/);
  assert.doesNotMatch(r.all, /cut off|connection failed/);
  assert.deepEqual(await storeState(store), before);
});

test("9. a run where every task ends invalid exits 1 and says so; the paid replies are kept", async () => {
  const { store, config, names } = await setup();
  for (const name of names) server.addFaults({ fault: "wrong-schema", times: 3, person: name });
  const r = await cli("traits", "infer", "--store", store, "--config", config);
  assert.equal(r.code, 1, r.all);
  assert.match(r.err, new RegExp(`none of the ${PERSONS} task\\(s\\) produced a valid assessment \\(all invalid\\)`));
  assert.match(r.out, /invalid: gpt Number-L3-Inc .* no valid reply after 3 attempt\(s\)/);
  const s = await openStore(store, { readOnly: true });
  try {
    const calls = await (await CallCache.open(s.connection)).calls();
    assert.equal(calls.length, 3 * PERSONS, "every paid reply is in the store");
    assert.ok(calls.every((c) => c.status === "invalid"));
  } finally { s.close(); }
});

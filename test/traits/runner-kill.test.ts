import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/dataset/store.ts";
import { writeIdentities } from "../../src/traits/identities.ts";
import { CallCache } from "../../src/traits/call-cache.ts";
import { startFakeLlmServer } from "../helpers/fake-llm-servers.ts";

const root = new URL("../..", import.meta.url).pathname;
const PERSONS = 12, CONCURRENCY = 2, KILL_AFTER = 5;

function runCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<number | null>; stderr: string[] } {
  const child = spawn(process.execPath, [join(root, "bin/personax.js"), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const stderr: string[] = [];
  child.stderr!.on("data", (c: Buffer) => stderr.push(c.toString()));
  child.stdout!.on("data", (c: Buffer) => stderr.push(c.toString()));
  const done = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, done, stderr };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The README's promise, measured: a reply that reached the store is never bought again; the requests in flight
 * at a kill (at most `concurrency` per model) are asked again, and the restart reports exactly how many.
 */
test("traits infer killed with SIGKILL with requests in flight: no stored reply bought again, the in-flight ones (≤ concurrency) re-asked and counted (at the server)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-kill-"));
  const server = await startFakeLlmServer("openai", { latencyMs: 10 });
  try {
    const storePath = join(dir, "store.duckdb");
    const store = await openStore(storePath);
    const ids = Array.from({ length: PERSONS }, (_, i) => `p${String(i).padStart(2, "0")}`);
    await store.insertPersons(ids.map((id) => ({ id, flavour: "athle", birth_year: null, birth_month: null, birth_day: null, latitude: null, longitude: null,
      height_cm: null, weight_kg: null, occupation: null, gender: null, league: null })));
    await writeIdentities(store, ids.map((id) => ({ personId: id, name: `Kill Test ${id}`, context: "NHL" })));
    store.close();
    const configPath = join(dir, "llm.json");
    await writeFile(configPath, JSON.stringify({ models: [{ name: "gpt", provider: "openai", model: "fake-gpt", baseUrl: server.baseUrl,
      apiKeyEnv: "KILL_TEST_KEY", concurrency: CONCURRENCY, pricePerMillionInput: 1, pricePerMillionOutput: 1 }] }));
    const args = ["traits", "infer", "--store", storePath, "--config", configPath];
    const env = { KILL_TEST_KEY: "sk-fake" };

    // Run 1: after KILL_AFTER valid replies the server holds every request. A worker only asks again after
    // it has stored its previous reply, so once all workers wait on held requests, KILL_AFTER replies are in
    // the store and CONCURRENCY requests are in flight. Then SIGKILL.
    server.holdAfterValidReplies(KILL_AFTER);
    const first = runCli(args, env);
    await waitFor(() => server.validReplies() === KILL_AFTER && server.heldCount === CONCURRENCY, "the runner to block on held requests");
    first.child.kill("SIGKILL");
    const firstCode = await first.done;
    assert.equal(firstCode, null, "the first run was killed, not finished");
    server.release();
    const requestsBeforeRestart = server.requests.length;

    // Run 2: the same command finishes the remaining work.
    const second = runCli(args, env);
    const code = await second.done;
    const output = second.stderr.join("");
    assert.equal(code, 0, output);

    const perPerson = ids.map((id) => server.validReplies(`Kill Test ${id}`));
    assert.deepEqual(perPerson, ids.map(() => 1), "every person was answered exactly once across both runs");
    assert.equal(server.requests.length - requestsBeforeRestart, PERSONS - KILL_AFTER, "the restart asked only for the unfinished persons");
    // The requests that were in flight at the kill: asked twice in all, exactly as many as the restart reports, at most CONCURRENCY.
    const askedTwice = ids.filter((id) => server.requests.filter((r) => r.person === `Kill Test ${id}`).length === 2);
    assert.equal(askedTwice.length, CONCURRENCY);
    assert.ok(ids.every((id) => server.requests.filter((r) => r.person === `Kill Test ${id}`).length <= 2));
    assert.match(output, new RegExp(`${CONCURRENCY} request\\(s\\) were in flight when an earlier run stopped: their replies were lost and they were asked again`));
    for (const id of askedTwice) {
      const keys = server.requests.filter((r) => r.person === `Kill Test ${id}`).map((r) => r.idempotencyKey);
      assert.ok(keys[0] && keys[0] === keys[1], "a re-asked request carries the Idempotency-Key of the lost one");
    }
    const reopened = await openStore(storePath, { readOnly: true });
    try {
      const calls = await (await CallCache.open(reopened.connection)).calls();
      assert.equal(calls.filter((c) => c.status === "ok").length, PERSONS);
      assert.equal(calls.filter((c) => c.status === "lost").length, CONCURRENCY, "the write-ahead records of the requests in flight");
      assert.equal(calls.length, PERSONS + CONCURRENCY, "no other rows in llm_calls");
      assert.equal((await reopened.readTraitAssessments()).length, PERSONS);
      assert.equal((await reopened.readFinals()).length, PERSONS);
    } finally { reopened.close(); }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

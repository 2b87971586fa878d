import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Queue } from "bullmq";
import { openStore } from "../../src/dataset/store.ts";
import { parseLlmConfig } from "../../src/traits/config.ts";
import type { PersonPrompt } from "../../src/traits/protocols.ts";
import { inferTraits } from "../../src/traits/runner.ts";
import { JobQueue } from "../../src/scale/producer.ts";
import { queuedInference } from "../../src/scale/traits-queue.ts";
import { connectRedis } from "../../src/scale/redis.ts";
import { llmQueueName } from "../../src/scale/jobs.ts";
import { startFakeLlmServer, type FakeLlmServer } from "../helpers/fake-llm-servers.ts";
import { redisAvailable, startRedis, type TestRedis } from "./redis-server.ts";
import { startWorker, waitForLog, type WorkerProcess } from "./workers.ts";

const skip = redisAvailable() ? false : "redis-server is not installed (scripts/setup-system.sh installs it)";
const env = { ...process.env, FAKE_OPENAI_KEY: "sk-test-not-a-real-key" };

function config(server: FakeLlmServer) {
  return parseLlmConfig({ models: [{ name: "gpt", provider: "openai", model: "fake-gpt", baseUrl: server.baseUrl, apiKeyEnv: "FAKE_OPENAI_KEY",
    concurrency: 16, timeoutSeconds: 60, maxRetries: 3 }] }, "test-config.json");
}
const persons = (prefix: string, n: number): PersonPrompt[] => Array.from({ length: n }, (_, i) => ({
  id: `${prefix}${i}`, name: `${prefix} Person ${i}`, flavour: "celebrity", context: "actor",
}));
/** The fake server's reading of a prompt (test/helpers/fake-llm-servers.ts personOf). */
const personOf = (prompt: string) => /traits of (.+?), a (?:professional athlete|public figure)/.exec(prompt)?.[1];

let redis: TestRedis;
let workers: WorkerProcess[] = [];
before(async () => {
  if (skip) return;
  redis = await startRedis();
  workers = [startWorker(redis.url, { llmConcurrency: 4 }, env), startWorker(redis.url, { llmConcurrency: 4 }, env)];
});
after(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await redis?.stop();
});

async function inferOnQueue(server: FakeLlmServer, people: PersonPrompt[], whileRunning?: () => Promise<void>) {
  const store = await openStore(":memory:");
  const queue = await JobQueue.open({ redisUrl: redis.url });
  try {
    const queued = await queuedInference(queue, config(server), undefined);
    const running = inferTraits({ config: queued.config, providers: queued.providers, persons: people, connection: store.connection, env: {}, seed: 1, baseDelayMs: 20, maxDelayMs: 200 });
    await whileRunning?.();
    const summary = await running;
    await queued.close();
    // A rerun finds every task in the store and sends nothing.
    const again = await inferTraits({ config: queued.config, providers: queued.providers, persons: people, connection: store.connection, env: {}, seed: 1 });
    assert.equal(again.newCalls, 0);
    return summary;
  } finally {
    await queue.close();
    store.close();
  }
}

test("LLM inference through two queue workers makes exactly one request per task", { skip, timeout: 600_000 }, async () => {
  const server = await startFakeLlmServer("openai", { latencyMs: 50 });
  try {
    await Promise.all(workers.map((w) => waitForLog(w, /serving/)));
    const people = persons("Even", 24);
    const summary = await inferOnQueue(server, people);
    assert.equal(summary.ok, 24);
    assert.deepEqual(summary.failures, []);
    assert.equal(server.requests.length, 24);
    for (const p of people) assert.equal(server.requests.filter((r) => r.person === p.name).length, 1, p.name);
  } finally {
    await server.close();
  }
});

test("a worker SIGKILLed with requests in flight: only those requests are made twice, every task completes", { skip, timeout: 600_000 }, async () => {
  // Long enough replies that the victim is caught with requests in flight.
  const server = await startFakeLlmServer("openai", { latencyMs: 1500 });
  try {
    await Promise.all(workers.map((w) => waitForLog(w, /serving/)));
    const [victim, survivor] = workers as [WorkerProcess, WorkerProcess];
    const people = persons("Kill", 24);
    let inFlight: string[] = [];
    const summary = await inferOnQueue(server, people, async () => {
      const connection = connectRedis(redis.url, "test-observer");
      const queue = new Queue(queuedQueueName(server), { connection });
      try {
        for (;;) {
          // Once every task's request has been answered nothing can be in flight any more: fail instead of waiting.
          if (server.requests.length >= people.length) assert.fail(`every request was answered (${server.requests.length}) before the victim was seen holding one in flight`);
          const heldPersons = async () => (await queue.getActive()).filter((j) => j.processedBy?.endsWith(`-${victim.child.pid}`))
            .map((j) => personOf((j.data as { payload: { request: { user: string } } }).payload.request.user)!);
          // Arrivals, not answered requests: a request is in flight from its arrival until its reply.
          const arrived = new Set(server.arrivals);
          const heldBefore = await heldPersons();
          if (heldBefore.some((p) => arrived.has(p))) {
            await victim.kill();
            // The victim's jobs stay active (locked) until its lock expires (4 s), so those it took after the look
            // above can still be read after its death; a request it sent just before dying reaches the server
            // within milliseconds.
            await new Promise((r) => setTimeout(r, 300));
            const arrivedAtKill = new Set(server.arrivals);
            inFlight = [...new Set([...heldBefore, ...await heldPersons()])].filter((p) => arrivedAtKill.has(p));
            break;
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        await queue.close();
        connection.disconnect();
      }
    });
    assert.equal(summary.ok, 24);
    assert.ok(inFlight.length >= 1);
    // Asked twice: only requests the victim had in flight (at most its 4 concurrent calls), each once more.
    const twice = people.filter((p) => server.requests.filter((r) => r.person === p.name).length === 2).map((p) => p.name);
    console.log(`LLM requests per task with a worker SIGKILLed mid-run: ${server.requests.length} requests for 24 tasks; ` +
      `${inFlight.length} were in flight at the kill (${inFlight.join(", ")}) and were asked again; asked twice: ${twice.length}; every other task once`);
    // Only requests in flight at the kill are asked again (at most the victim's 4 concurrent calls).
    assert.ok(twice.length <= 4, `asked twice: ${twice.join(", ")}`);
    for (const name of twice) assert.ok(inFlight.includes(name), `${name} was asked twice but was not in flight at the kill (${inFlight.join(", ")})`);
    for (const p of people) assert.ok([1, 2].includes(server.requests.filter((r) => r.person === p.name).length), p.name);
    assert.equal(server.requests.length, 24 + twice.length);
    await survivor.stop();
  } finally {
    await server.close();
  }
});

function queuedQueueName(server: FakeLlmServer): string {
  const m = config(server).models[0]!;
  return llmQueueName(m.provider, m.model, m.baseUrl);
}

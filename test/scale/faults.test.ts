import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runLevel1 } from "../../src/citest/level1.ts";
import { readCsvTable } from "../../src/citest/table.ts";
import { JobQueue } from "../../src/scale/producer.ts";
import { level1OnQueue } from "../../src/scale/level1-queue.ts";
import { runQueueWorker } from "../../src/scale/worker.ts";
import { jobId } from "../../src/scale/jobs.ts";
import { redisAvailable, startRedis, type TestRedis } from "./redis-server.ts";

const skip = redisAvailable() ? false : "redis-server is not installed (scripts/setup-system.sh installs it)";
const data = readCsvTable(join(new URL("../fixtures/data", import.meta.url).pathname, "athle_n500_s0.csv"));
const rows = ["final_o", "final_c", "final_e"];
const cols = ["Birthyear", "Height", "Weight"];

let redis: TestRedis;
before(async () => { if (!skip) redis = await startRedis(); });
after(async () => { await redis?.stop(); });

/** A worker in this process (its CPU jobs still run on its own threads). */
function inProcessWorker(version?: string) {
  const stop = new AbortController();
  const events: string[] = [];
  const done = runQueueWorker({ redisUrl: redis.url, concurrency: 1, lockDurationMs: 4000, stalledIntervalMs: 1000, signal: stop.signal, version, onEvent: (m) => events.push(m) });
  return { events, stop: async () => { stop.abort(); return done; } };
}

test("a job that keeps failing ends the run with its error instead of waiting forever", { skip }, async () => {
  const worker = inProcessWorker();
  const queue = await JobQueue.open({ redisUrl: redis.url, attempts: 2, sweepMs: 200 });
  try {
    const job = { id: jobId("level1-cell", "missing data"), kind: "level1-cell" as const, payload: { data: "0".repeat(32), task: { index: 0, test: "kci", row: "a", col: "b", seed: 0 } } };
    await assert.rejects(queue.runAll([job]), (e: Error) => /failed after 2 attempt\(s\): data blob 0+ is not in Redis/.test(e.message));
  } finally {
    await queue.close();
    await worker.stop();
  }
});

test("a worker of another package version refuses the jobs; the producer says so and a right worker finishes them", { skip }, async () => {
  const old = inProcessWorker("0.0.1-old");
  const notes: string[] = [];
  const queue = await JobQueue.open({ redisUrl: redis.url, sweepMs: 200, onEvent: (m) => notes.push(m) });
  try {
    const local = await runLevel1({ data, rows, cols, tests: ["fisherz"], workers: 0 });
    const running = runLevel1({ data, rows, cols, tests: ["fisherz"], runCells: level1OnQueue(queue) });
    while (!notes.some((n) => /worker of version 0\.0\.1-old refuses/.test(n))) await new Promise((r) => setTimeout(r, 50));
    assert.ok(old.events.some((e) => /refusing jobs of version/.test(e)));
    const right = inProcessWorker();
    const remote = await running;
    assert.deepStrictEqual(remote.tests.map((t) => t.cells), local.tests.map((t) => t.cells));
    const stats = await right.stop();
    assert.ok(stats.completed >= rows.length * cols.length);
  } finally {
    await queue.close();
    const oldStats = await old.stop();
    assert.equal(oldStats.completed, 0);
    assert.ok(oldStats.refused > 0);
  }
});

test("Redis restarted mid-run: producer and worker reconnect and the results equal a local run", { skip }, async () => {
  const tests = ["kci", "hsic", "fisherz"];
  const local = await runLevel1({ data, rows, cols, tests, seed: 1, workers: 0 });
  const worker = inProcessWorker();
  const queue = await JobQueue.open({ redisUrl: redis.url, sweepMs: 200 });
  try {
    let restarted = false;
    const remote = await runLevel1({ data, rows, cols, tests, seed: 1, runCells: level1OnQueue(queue), onProgress: (done) => {
      if (done === 3 && !restarted) { restarted = true; void redis.restart(); }
    } });
    assert.ok(restarted);
    assert.deepStrictEqual(remote.tests.map(({ seconds: _, ...t }) => t), local.tests.map(({ seconds: _, ...t }) => t));
  } finally {
    await queue.close();
    await worker.stop();
  }
});

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runLevel1, type Level1Result } from "../../src/citest/level1.ts";
import { readCsvTable } from "../../src/citest/table.ts";
import { JobQueue } from "../../src/scale/producer.ts";
import { level1OnQueue } from "../../src/scale/level1-queue.ts";
import { redisAvailable, startRedis, type TestRedis } from "./redis-server.ts";
import { startWorker, waitForLog, type WorkerProcess } from "./workers.ts";

const skip = redisAvailable() ? false : "redis-server is not installed (scripts/setup-system.sh installs it)";
const data = readCsvTable(join(new URL("../fixtures/data", import.meta.url).pathname, "athle_n500_s0.csv"));
const rows = ["final_o", "final_c", "final_e", "final_a", "final_n"];
const cols = ["Birthyear", "Type", "Latitude", "Height", "Weight"];
const tests = ["kci", "hsic", "rcit", "chisq", "gsq", "fisherz"];

/** The results without timings (the only part that may differ between machines and runs). */
function cellsOf(result: Level1Result) {
  return result.tests.map(({ seconds: _, ...rest }) => rest);
}

let redis: TestRedis;
let workers: WorkerProcess[] = [];
before(async () => { if (!skip) redis = await startRedis(); });
after(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await redis?.stop();
});

test("a Level I matrix through two queue workers equals the local run bit for bit", { skip }, async () => {
  // The workers start (loading the CLI takes a while on a busy machine) while the local run computes.
  workers = [startWorker(redis.url, ["--concurrency", "1"]), startWorker(redis.url, ["--concurrency", "1"])];
  const local = await runLevel1({ data, rows, cols, tests, seed: 3, workers: 0 });
  await Promise.all(workers.map((w) => waitForLog(w, /serving/)));
  const queue = await JobQueue.open({ redisUrl: redis.url });
  try {
    let progress = 0;
    const remote = await runLevel1({ data, rows, cols, tests, seed: 3, runCells: level1OnQueue(queue), onProgress: (done) => { progress = done; } });
    assert.deepStrictEqual(cellsOf(remote), cellsOf(local));
    assert.deepStrictEqual(remote.summary, local.summary);
    assert.equal(progress, tests.length * rows.length * cols.length);
  } finally {
    await queue.close();
  }
  await Promise.all(workers.map((w) => w.stop()));
  // Both workers took part (jobs are handed out one at a time to whoever is free).
  const done = workers.map((w) => w.completed());
  assert.ok(done.every((n) => n > 0), `jobs per worker: ${done.join(", ")}`);
  assert.equal(done[0]! + done[1]!, tests.length * rows.length * cols.length);
});

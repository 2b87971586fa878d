import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runLevel1, type Level1Result } from "../../src/citest/level1.ts";
import { readCsvTable } from "../../src/citest/table.ts";
import { JobQueue } from "../../src/scale/producer.ts";
import { level1OnQueue } from "../../src/scale/level1-queue.ts";
import { redisAndWorkers, startWorker, waitForLog } from "./workers.ts";

const shared = redisAndWorkers();
const skip = shared.skip;
const data = readCsvTable(join(new URL("../fixtures/data", import.meta.url).pathname, "athle_n500_s0.csv"));
const rows = ["final_o", "final_c", "final_e", "final_a", "final_n"];
const cols = ["Birthyear", "Type", "Latitude", "Height", "Weight"];
const tests = ["kci", "hsic", "rcit", "chisq", "gsq", "fisherz"];

/** The results without timings (the only part that may differ between machines and runs). */
function cellsOf(result: Level1Result) {
  return result.tests.map(({ seconds: _, ...rest }) => rest);
}

test("a Level I matrix through two queue workers equals the local run bit for bit", { skip }, async () => {
  // The workers start (loading the CLI takes a while on a busy machine) while the local run computes.
  shared.workers.push(startWorker(shared.redis.url, { concurrency: 1 }), startWorker(shared.redis.url, { concurrency: 1 }));
  const local = await runLevel1({ data, rows, cols, tests, seed: 3, workers: 0 });
  await Promise.all(shared.workers.map((w) => waitForLog(w, /serving/)));
  const queue = await JobQueue.open({ redisUrl: shared.redis.url });
  try {
    let progress = 0;
    const remote = await runLevel1({ data, rows, cols, tests, seed: 3, runCells: level1OnQueue(queue), onProgress: (done) => { progress = done; } });
    assert.deepStrictEqual(cellsOf(remote), cellsOf(local));
    assert.deepStrictEqual(remote.summary, local.summary);
    assert.equal(progress, tests.length * rows.length * cols.length);
  } finally {
    await queue.close();
  }
  await Promise.all(shared.workers.map((w) => w.stop()));
  // Both workers took part (jobs are handed out one at a time to whoever is free).
  const done = shared.workers.map((w) => w.completed());
  assert.ok(done.every((n) => n > 0), `jobs per worker: ${done.join(", ")}`);
  assert.equal(done[0]! + done[1]!, tests.length * rows.length * cols.length);
});

test("personax level1 --queue writes the same summary as a local run; personax worker rejects a bad Redis URL", { skip }, async () => {
  const { runCli } = await import("../../src/cli/run-cli.ts");
  const { recordingIo } = await import("../../src/cli/io.ts");
  const { mkdtempSync, rmSync, readFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const csv = join(new URL("../fixtures/data", import.meta.url).pathname, "athle_n500_s0.csv");
  const dir = mkdtempSync(join(tmpdir(), "personax-scale-cli-"));
  const worker = startWorker(shared.redis.url, { concurrency: 1 });
  try {
    const args = (out: string) => ["level1", "--data", csv, "--rows", "final_o,final_e", "--cols", "Height,Weight", "--tests", "fisherz,chisq", "--out", join(dir, out), "--json"];
    const local = recordingIo();
    assert.equal(await runCli(args("local"), local), 0);
    await waitForLog(worker, /serving/);
    const queued = recordingIo();
    assert.equal(await runCli([...args("queued"), "--queue", shared.redis.url], queued), 0, queued.stderr.join("\n"));
    assert.deepEqual(queued.stdout, local.stdout);
    assert.equal(readFileSync(join(dir, "queued", "fisherz.csv"), "utf8"), readFileSync(join(dir, "local", "fisherz.csv"), "utf8"));
    const bad = recordingIo();
    assert.equal(await runCli(["worker", "--redis", "localhost:6379"], bad), 2);
    assert.match(bad.stderr.join("\n"), /not a Redis URL.*\n.*redis:\/\/host:port/);
  } finally {
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { discoverPc, type DiscoverPcOptions } from "../../src/discovery/discover.ts";
import { randomDag, sampleLinearGaussian } from "../../src/discovery/random-dag.ts";
import { pcBootstrapOnQueue } from "../../src/scale/pc-bootstrap-queue.ts";
import { JobQueue } from "../../src/scale/producer.ts";
import { CPU_QUEUE } from "../../src/scale/jobs.ts";
import { connectRedis } from "../../src/scale/redis.ts";
import { Rng } from "../../src/util/rng.ts";
import { redisAvailable, startRedis, type TestRedis } from "./redis-server.ts";
import { startWorker, waitForLog, type WorkerProcess } from "./workers.ts";

const skip = redisAvailable() ? false : "redis-server is not installed (scripts/setup-system.sh installs it)";
const dir = mkdtempSync(join(tmpdir(), "personax-scale-pc-"));

/** A linear-Gaussian sample of a random 6-node DAG, as a CSV. */
function writeData(rows: number, seed: number): string {
  const rng = new Rng(seed);
  const dag = randomDag(6, 0.4, rng.fork(0));
  const { data } = sampleLinearGaussian(dag, rows, rng.fork(1));
  const lines = [dag.nodes.join(",")];
  for (let i = 0; i < data.rows; i++) lines.push(Array.from(data.data.subarray(i * data.cols, (i + 1) * data.cols)).join(","));
  const file = join(dir, `dag-${rows}-${seed}.csv`);
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

/** What a bootstrap run leaves behind, without timings. */
function outputsOf(out: string) {
  const { seconds: _, ...graph } = JSON.parse(readFileSync(join(out, "graph.json"), "utf8")) as Record<string, unknown>;
  return { graph, bootstrap: readFileSync(join(out, "bootstrap.json"), "utf8"), consensus: readFileSync(join(out, "consensus.dot"), "utf8") };
}

async function localAndQueued(options: Omit<DiscoverPcOptions, "out">, name: string, whileRunning?: (queue: JobQueue) => Promise<void>) {
  const local = await discoverPc({ ...options, out: join(dir, `${name}-local`) });
  const queue = await JobQueue.open({ redisUrl: redis.url });
  try {
    const running = discoverPc({ ...options, out: join(dir, `${name}-queued`), runReplicates: pcBootstrapOnQueue(queue) });
    await whileRunning?.(queue);
    const queued = await running;
    assert.deepStrictEqual(queued.bootstrap, local.bootstrap);
  } finally {
    await queue.close();
  }
  assert.deepStrictEqual(outputsOf(join(dir, `${name}-queued`)), outputsOf(join(dir, `${name}-local`)));
}

let redis: TestRedis;
let workers: WorkerProcess[] = [];
before(async () => {
  if (skip) return;
  redis = await startRedis();
  workers = [startWorker(redis.url, { concurrency: 1 }), startWorker(redis.url, { concurrency: 1 })];
});
after(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("a PC bootstrap through two queue workers equals the local bootstrap bit for bit", { skip }, async () => {
  const data = writeData(400, 1);
  await Promise.all(workers.map((w) => waitForLog(w, /serving/)));
  await localAndQueued({ data, test: "fisherz", alpha: 0.05, bootstrap: 30, seed: 4 }, "fisherz");
});

test("a worker SIGKILLed in the middle of a replicate changes nothing: its job is taken over by the other", { skip }, async () => {
  // KCI replicates take long enough (seconds) to be caught mid-job.
  const data = writeData(150, 2);
  await Promise.all(workers.map((w) => waitForLog(w, /serving/)));
  const [victim, survivor] = workers as [WorkerProcess, WorkerProcess];
  let killedJob = "";
  await localAndQueued({ data, test: "kci", alpha: 0.05, bootstrap: 6, seed: 7 }, "kci-kill", async () => {
    const connection = connectRedis(redis.url, "test-observer");
    const queue = new Queue(CPU_QUEUE, { connection });
    try {
      for (;;) {
        const active = await queue.getActive();
        const held = active.find((j) => j.processedBy?.endsWith(`-${victim.child.pid}`));
        if (held) { killedJob = held.id!; break; }
        await new Promise((r) => setTimeout(r, 20));
      }
      await victim.kill();
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
  assert.ok(killedJob, "the victim held a job when it was killed");
  assert.equal(victim.child.signalCode, "SIGKILL");
  await survivor.stop();
  assert.ok(survivor.completed() >= 1);
});

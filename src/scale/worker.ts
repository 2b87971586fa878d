import { cpus, hostname } from "node:os";
import { DelayedError, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { ComputePool } from "./compute-pool.ts";
import { computeJobs, type ComputeJobKind } from "./compute-jobs.ts";
import { getBlob } from "./data-blob.ts";
import { CPU_QUEUE, LLM_QUEUES_KEY, REFUSALS_KEY, type JobEnvelope } from "./jobs.ts";
import type { LlmCallHandler } from "./llm-jobs.ts";
import { connectRedis } from "./redis.ts";
import { PACKAGE_VERSION } from "./version.ts";

export interface QueueWorkerOptions {
  redisUrl: string;
  /** CPU jobs at once, each on its own thread (default: the number of cores). */
  concurrency?: number;
  /** LLM calls at once per model queue (default 8); the producer's limits (rate, global concurrency) still apply. */
  llmConcurrency?: number;
  /** How long a job's lock lasts without renewal; a worker silent this long is taken for dead (default 30 s). */
  lockDurationMs?: number;
  /** How often workers look for jobs whose worker died (default 15 s). */
  stalledIntervalMs?: number;
  /** Environment the LLM API keys are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Stops the worker: active jobs finish, then it returns. */
  signal?: AbortSignal;
  onEvent?: (message: string) => void;
  /** The version this worker claims (default: the package's); only for testing version refusal. */
  version?: string;
}

export interface QueueWorkerStats { completed: number; failed: number; refused: number }

/** Delay before a refused job is offered again (to a worker of the right version). */
const REFUSAL_DELAY_MS = 2000;

/**
 * `personax worker`: serves the CPU queue and every LLM queue a producer has registered, until the signal
 * aborts. CPU jobs run on threads (compute-pool.ts); LLM calls run on the event loop, rate-limited by
 * the queue's limits shared by all workers. Jobs of another package version are refused (put back for a
 * worker of the right version) and the refusal is recorded in Redis for the producer to report.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerStats> {
  const version = options.version ?? PACKAGE_VERSION;
  const event = options.onEvent ?? (() => undefined);
  const concurrency = Math.max(1, options.concurrency ?? cpus().length);
  const connection = connectRedis(options.redisUrl, "personax-worker");
  const pool = new ComputePool(concurrency);
  // The LLM SDKs take a while to load: only when a producer has registered an LLM queue.
  let llm: Promise<LlmCallHandler> | undefined;
  const llmHandler = () => (llm ??= import("./llm-jobs.ts").then((m) => new m.LlmCallHandler(options.env ?? process.env)));
  const stats: QueueWorkerStats = { completed: 0, failed: 0, refused: 0 };
  const blobs = new BlobCache(connection);
  const workerOptions = {
    connection,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 15_000,
    // A job whose worker died twice more is failed rather than retried forever (the producer reports it).
    maxStalledCount: 2,
    // Recorded on each job it takes (job.processedBy): which worker had a job, e.g. when one died.
    name: `personax-${version}-${hostname()}-${process.pid}`,
  };
  let refusalNoted = false;
  const accept = async (job: Job, token: string | undefined): Promise<JobEnvelope> => {
    const envelope = job.data as JobEnvelope;
    if (envelope.version === version) return envelope;
    stats.refused++;
    if (!refusalNoted) {
      refusalNoted = true;
      event(`refusing jobs of version ${envelope.version} (this worker is ${version}); start a worker of version ${envelope.version}`);
    }
    await connection.hset(REFUSALS_KEY, version, String(Date.now()));
    await job.moveToDelayed(Date.now() + REFUSAL_DELAY_MS, token);
    throw new DelayedError();
  };

  const workers = new Map<string, Worker>();
  const count = (w: Worker) => {
    w.on("completed", () => { stats.completed++; });
    w.on("failed", (job, error) => {
      stats.failed++;
      event(`job ${job?.id ?? "?"} failed: ${error.message}`);
    });
    w.on("error", (error) => event(`queue connection: ${error.message}`));
    return w;
  };
  workers.set(CPU_QUEUE, count(new Worker(CPU_QUEUE, async (job, token) => {
    const envelope = await accept(job, token);
    if (!(envelope.kind in computeJobs)) throw new UnrecoverableError(`job ${job.id}: unknown CPU job kind "${envelope.kind}"`);
    const dataId = (envelope.payload as { data?: string }).data;
    return pool.run(envelope.kind as ComputeJobKind, envelope.payload, dataId === undefined ? undefined : { id: dataId, bytes: () => blobs.get(dataId) });
  }, { ...workerOptions, concurrency })));

  const llmConcurrency = Math.max(1, options.llmConcurrency ?? 8);
  const serveLlmQueues = async () => {
    for (const name of await connection.smembers(LLM_QUEUES_KEY)) {
      if (workers.has(name)) continue;
      workers.set(name, count(new Worker(name, async (job, token) => {
        const envelope = await accept(job, token);
        if (envelope.kind !== "llm-call") throw new UnrecoverableError(`job ${job.id}: unknown LLM job kind "${envelope.kind}"`);
        return (await llmHandler()).run(envelope.payload);
      }, { ...workerOptions, concurrency: llmConcurrency })));
    }
  };
  await serveLlmQueues();
  const watcher = setInterval(() => { serveLlmQueues().catch((e: Error) => event(`watching LLM queues: ${e.message}`)); }, 1000);
  event(`worker ${version} serving ${CPU_QUEUE} (${concurrency} threads) and the LLM queues (${llmConcurrency} calls each)`);

  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  clearInterval(watcher);
  await Promise.all([...workers.values()].map((w) => w.close()));
  await pool.close();
  connection.disconnect();
  return stats;
}

/** Data blobs fetched from Redis once per worker process (threads get them from here). */
class BlobCache {
  private readonly cache = new Map<string, Promise<Buffer>>();
  constructor(private readonly redis: Redis) {}

  get(id: string): Promise<Buffer> {
    let bytes = this.cache.get(id);
    if (!bytes) {
      bytes = getBlob(this.redis, id);
      bytes.catch(() => this.cache.delete(id));
      this.cache.set(id, bytes);
      if (this.cache.size > 8) this.cache.delete(this.cache.keys().next().value!);
    }
    return bytes;
  }
}

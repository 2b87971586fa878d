import { Queue, QueueEvents, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { ComputeError } from "../errors.ts";
import { encodeColumns, putBlob, type NamedColumns } from "./data-blob.ts";
import { CPU_QUEUE, LLM_QUEUES_KEY, REFUSALS_KEY, type JobEnvelope, type JobKind } from "./jobs.ts";
import { connectRedis } from "./redis.ts";
import { PACKAGE_VERSION } from "./version.ts";

export interface QueueJob<P = unknown> { id: string; kind: JobKind; payload: P }

export interface JobQueueOptions {
  redisUrl: string;
  /** Attempts per job before it fails for good (default 3); a worker that dies mid-job costs one. */
  attempts?: number;
  /** How often every unfinished job is checked, besides the queue's events (default 2 s). */
  sweepMs?: number;
  /** Notes for the user: waiting for workers, refusals, a Redis that came back empty. */
  onEvent?: (message: string) => void;
  /** The version put in the jobs (default: the package's); only for testing version refusal. */
  version?: string;
}

interface Pending {
  queue: string;
  job: QueueJob;
  submittedAt: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** Limits of an LLM queue, shared by every worker that serves it. */
export interface LlmQueueLimits { requestsPerMinute?: number; concurrency?: number }

/**
 * The producer's side of the queue. Jobs are added under their canonical ids (adding an existing id is a
 * no-op, so a rerun re-attaches to the jobs of an interrupted run and takes the results already there);
 * results come back through the queue to this process, which alone writes them anywhere. Completion is
 * noticed from the queue's events and, to survive lost events and Redis restarts, by a periodic sweep;
 * a job that Redis no longer has (restarted without persistence) is added again with its data.
 */
export class JobQueue {
  private readonly queues = new Map<string, { queue: Queue; events: QueueEvents }>();
  private readonly connections: Redis[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly blobs = new Map<string, Buffer>();
  private readonly llmLimits = new Map<string, LlmQueueLimits>();
  private readonly version: string;
  private readonly event: (message: string) => void;
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;
  private lastProgress = Date.now();
  private lastWaitingNote = 0;
  private refusalsSeen = new Set<string>();

  private constructor(private readonly redis: Redis, private readonly options: JobQueueOptions) {
    this.version = options.version ?? PACKAGE_VERSION;
    this.event = options.onEvent ?? (() => undefined);
  }

  static async open(options: JobQueueOptions): Promise<JobQueue> {
    const redis = connectRedis(options.redisUrl, "personax-producer");
    await redis.ping();
    return new JobQueue(redis, options);
  }

  /** Uploads data that jobs share and returns its id (kept here to upload again after a Redis restart). */
  async putData(data: NamedColumns): Promise<string> {
    const bytes = encodeColumns(data);
    const id = await putBlob(this.redis, bytes);
    this.blobs.set(id, bytes);
    return id;
  }

  /** Declares an LLM queue to the workers and sets its limits for all of them together. */
  async registerLlmQueue(name: string, limits: LlmQueueLimits): Promise<void> {
    this.llmLimits.set(name, limits);
    await this.applyLlmQueue(name, limits);
  }

  private async applyLlmQueue(name: string, limits: LlmQueueLimits): Promise<void> {
    const { queue } = this.open(name);
    // BullMQ's limiter counts jobs per fixed window: per second when the rate allows it, so that a burst at
    // the start of a window stays small.
    const rpm = limits.requestsPerMinute;
    if (rpm && rpm >= 60) await queue.setGlobalRateLimit(Math.floor(rpm / 60), 1000);
    else if (rpm) await queue.setGlobalRateLimit(Math.max(1, Math.floor(rpm)), 60_000);
    else await queue.removeGlobalRateLimit();
    if (limits.concurrency) await queue.setGlobalConcurrency(limits.concurrency);
    else await queue.removeGlobalConcurrency();
    await this.redis.sadd(LLM_QUEUES_KEY, name);
  }

  /** Enqueues one job (or re-attaches to it) and resolves with its result; rejects when it failed for good. */
  submit<R>(job: QueueJob, queue = CPU_QUEUE): Promise<R> {
    return this.submitMany<R>([job], queue)[0]!;
  }

  /** Enqueues jobs in one round trip; one promise per job, in the same order. */
  submitMany<R>(jobs: readonly QueueJob[], queue = CPU_QUEUE): Array<Promise<R>> {
    const submittedAt = Date.now();
    const promises = jobs.map((job) => new Promise<R>((resolve, reject) => {
      const key = `${queue}/${job.id}`;
      if (this.pending.has(key)) throw new Error(`job ${job.id} submitted twice`);
      this.pending.set(key, { queue, job, submittedAt, resolve: resolve as (v: unknown) => void, reject });
    }));
    void this.add(queue, jobs).then(
      // A failed first look is left to the sweep; a failed add fails the jobs.
      () => this.checkAll(jobs.map((j) => `${queue}/${j.id}`)).catch(() => undefined),
      (error: Error) => { for (const j of jobs) this.settle(`${queue}/${j.id}`, error); });
    this.startSweeper();
    return promises;
  }

  /**
   * Runs jobs and passes each result to `onResult` one at a time, in the order they finish (the caller
   * writes its store there: a single writer); returns the results in job order. The first job that fails
   * for good stops the run with its error.
   */
  async runAll<R>(jobs: readonly QueueJob[], options: { queue?: string; onResult?: (result: R, job: QueueJob, done: number) => void | Promise<void>; remove?: boolean } = {}): Promise<R[]> {
    const queue = options.queue ?? CPU_QUEUE;
    let writes: Promise<void> = Promise.resolve();
    let done = 0;
    const promises = this.submitMany<R>(jobs, queue).map((p, i) => p.then((result) => {
      writes = writes.then(() => options.onResult?.(result, jobs[i]!, ++done));
      return result;
    }));
    try {
      const results = await Promise.all(promises);
      await writes;
      if (options.remove ?? true) await this.remove(queue, jobs.map((j) => j.id));
      return results;
    } catch (error) {
      for (const j of jobs) this.settle(`${queue}/${j.id}`, error as Error); // stop waiting for the others
      await Promise.allSettled(promises);
      throw error;
    }
  }

  /** Removes finished jobs whose results have been written (a rerun then recomputes nothing it has stored). */
  async remove(queue: string, ids: readonly string[]): Promise<void> {
    const { queue: q } = this.open(queue);
    for (let i = 0; i < ids.length; i += 500) await Promise.all(ids.slice(i, i + 500).map((id) => q.remove(id)));
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const { queue, events } of this.queues.values()) {
      await events.close();
      await queue.close();
    }
    this.redis.disconnect();
    for (const c of this.connections) c.disconnect();
  }

  private open(name: string): { queue: Queue; events: QueueEvents } {
    let entry = this.queues.get(name);
    if (!entry) {
      const queue = new Queue(name, { connection: this.redis });
      const eventsConnection = connectRedis(this.options.redisUrl, "personax-producer-events");
      this.connections.push(eventsConnection);
      const events = new QueueEvents(name, { connection: eventsConnection });
      const wake = ({ jobId }: { jobId: string }) => { void this.check(`${name}/${jobId}`); };
      events.on("completed", wake);
      events.on("failed", wake);
      events.on("error", () => undefined); // reconnects by itself; the sweep covers what it misses
      queue.on("error", () => undefined);
      entry = { queue, events };
      this.queues.set(name, entry);
    }
    return entry;
  }

  private async add(queue: string, jobs: readonly QueueJob[]): Promise<void> {
    const { queue: q } = this.open(queue);
    const attempts = this.options.attempts ?? 3;
    for (let i = 0; i < jobs.length; i += 1000) {
      await q.addBulk(jobs.slice(i, i + 1000).map((job) => ({
        name: job.kind,
        data: { kind: job.kind, version: this.version, payload: job.payload } satisfies JobEnvelope,
        opts: { jobId: job.id, attempts, backoff: { type: "exponential", delay: 500 }, removeOnComplete: false, removeOnFail: false },
      })));
    }
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => { void this.sweep(); }, this.options.sweepMs ?? 2000);
    this.sweeper.unref();
  }

  private async sweep(): Promise<void> {
    if (this.sweeping || !this.pending.size) return;
    this.sweeping = true;
    try {
      await this.checkAll([...this.pending.keys()]);
      await this.noteStalls();
    } catch (error) {
      this.event(`queue: ${(error as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }

  private async checkAll(keys: readonly string[]): Promise<void> {
    const missing: string[] = [];
    for (let i = 0; i < keys.length; i += 200) {
      const found = await Promise.all(keys.slice(i, i + 200).map((k) => this.check(k)));
      found.forEach((ok, k) => { if (!ok) missing.push(keys[i + k]!); });
    }
    if (missing.length) await this.restore(missing);
  }

  /** Looks at one job; settles it when finished. Returns false when Redis does not have it. */
  private async check(key: string): Promise<boolean> {
    const p = this.pending.get(key);
    if (!p) return true;
    const { queue } = this.open(p.queue);
    // State first: a job read before its state could miss a return value written in between.
    const state = await queue.getJobState(p.job.id);
    const job = await queue.getJob(p.job.id) as Job | undefined;
    if (!job || state === "unknown") return false;
    if (state === "completed") {
      this.lastProgress = Date.now();
      this.settle(key, undefined, job.returnvalue);
    } else if (state === "failed") {
      if ((job.finishedOn ?? 0) < p.submittedAt) {
        // Failed in an earlier run: this run tries it again.
        p.submittedAt = 0; // fail for good next time
        await job.retry("failed").catch(() => undefined); // a concurrent look may have retried it already
        return true;
      }
      this.settle(key, new ComputeError(`job ${p.job.id} (${p.job.kind}) failed after ${job.attemptsMade} attempt(s): ${job.failedReason}`,
        "fix the cause, then rerun the same command: finished jobs are not computed again"));
    }
    return true;
  }

  private settle(key: string, error: Error | undefined, value?: unknown): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    if (error) p.reject(error);
    else p.resolve(value);
  }

  /** Redis lost jobs (restarted without persistence): upload the data again and add them again. */
  private async restore(keys: readonly string[]): Promise<void> {
    this.event(`queue: ${keys.length} job(s) missing from Redis (restarted?); adding them again`);
    for (const bytes of this.blobs.values()) await putBlob(this.redis, bytes);
    for (const [name, limits] of this.llmLimits) await this.applyLlmQueue(name, limits);
    const byQueue = new Map<string, QueueJob[]>();
    for (const key of keys) {
      const p = this.pending.get(key);
      if (p) byQueue.set(p.queue, [...(byQueue.get(p.queue) ?? []), p.job]);
    }
    for (const [queue, jobs] of byQueue) await this.add(queue, jobs);
  }

  /** Tells the user when nothing finishes for a while, and when workers of another version refuse jobs. */
  private async noteStalls(): Promise<void> {
    const refusals = await this.redis.hgetall(REFUSALS_KEY);
    for (const [version, at] of Object.entries(refusals)) {
      if (version === this.version || this.refusalsSeen.has(version) || Number(at) < Date.now() - 60_000) continue;
      this.refusalsSeen.add(version);
      this.event(`queue: a worker of version ${version} refuses these jobs (they need version ${this.version}); start workers of version ${this.version}`);
    }
    const quiet = Date.now() - this.lastProgress;
    if (quiet > 30_000 && Date.now() - this.lastWaitingNote > 30_000) {
      this.lastWaitingNote = Date.now();
      this.event(`queue: no job finished for ${Math.round(quiet / 1000)} s; ${this.pending.size} waiting. Are workers running? (personax worker --redis <url>)`);
    }
  }
}

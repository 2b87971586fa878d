/** Queue worker processes for tests: `personax worker` run from source under tsx, with short stall timers. */
import { after, before } from "node:test";
import { spawn, type ChildProcess } from "node:child_process";
import { redisAvailable, startRedis, type TestRedis } from "./redis-server.ts";

const root = new URL("../../", import.meta.url).pathname;

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the worker wrote to stderr (its events). */
  log(): string;
  /** Jobs it completed, from its closing line (after stop()). */
  completed(): number;
  /** SIGTERM: finish the active jobs, then exit. */
  stop(): Promise<void>;
  /** SIGKILL: die at once, holding whatever job it had. */
  kill(): Promise<void>;
}

/** Short locks so that a killed worker's job is taken over within seconds (long enough for a busy machine to renew them). */
export const FAST_STALLS = { lockDurationMs: 4000, stalledIntervalMs: 1000 };

export interface WorkerSettings { concurrency?: number; llmConcurrency?: number; lockDurationMs?: number; stalledIntervalMs?: number; version?: string }

/** A worker process from source (test/scale/worker-process.ts: the worker command's library call, without the CLI's start-up). */
export function startWorker(redisUrl: string, settings: WorkerSettings = {}, env: NodeJS.ProcessEnv = process.env): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "test/scale/worker-process.ts", redisUrl, JSON.stringify({ ...FAST_STALLS, ...settings })],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "", stdout = "";
  child.stderr!.on("data", (d: Buffer) => { stderr += d.toString(); });
  child.stdout!.on("data", (d: Buffer) => { stdout += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return { child, log: () => stderr, completed: () => Number(/(\d+) jobs done/.exec(stdout)?.[1] ?? Number.NaN), stop: () => signal("SIGTERM"), kill: () => signal("SIGKILL") };
}

/** Resolves when the worker's log matches (e.g. it is serving the queues). */
export async function waitForLog(worker: WorkerProcess, pattern: RegExp, timeoutMs = 900_000): Promise<void> {
  const started = Date.now();
  while (!pattern.test(worker.log())) {
    if (worker.child.exitCode !== null) throw new Error(`worker exited early: ${worker.log()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`worker log never matched ${pattern}: ${worker.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A test file's Redis and queue workers: see redisAndWorkers. */
export interface QueueFixture {
  /** Why the file's tests are skipped (no redis-server), or false. */
  skip: string | false;
  /** The file's Redis (started before its first test). */
  readonly redis: TestRedis;
  /** Workers a test started; all are killed after the file's tests. */
  workers: WorkerProcess[];
}

/** Starts a real Redis before a test file's tests and stops it, and every worker in `workers`, after them. */
export function redisAndWorkers(): QueueFixture {
  const skip = redisAvailable() ? false : "redis-server is not installed (scripts/setup-system.sh installs it)";
  let redis: TestRedis | undefined;
  const fixture: QueueFixture = {
    skip,
    get redis() {
      if (!redis) throw new Error("Redis is not running (redis-server missing, or used outside a test)");
      return redis;
    },
    workers: [],
  };
  before(async () => { if (!skip) redis = await startRedis(); });
  after(async () => {
    await Promise.all(fixture.workers.map((w) => w.kill()));
    await redis?.stop();
  });
  return fixture;
}

/**
 * `npm run bench -- scale`: throughput of queue workers (`personax worker`, one process each, started from
 * source like the tests) against a local Redis. CPU: a CPU-bound Level I matrix (KCI, 5 traits × 4 features,
 * synthetic athle table at n = 20,000: 20 jobs) with 1 and then 2 single-thread workers (OPENBLAS_NUM_THREADS=1, one
 * core each); goal ≥ 1.7× on 2 cores.
 * LLM: 160 inference tasks against the fake OpenAI-compatible server with 200 ms latency, 2 calls at a time per
 * worker, a shared rate limit of 25 requests/s: throughput should grow with workers (≈ 10/s each) up to the limit.
 * Workers are added one at a time and stay; each measurement follows a warm-up. The machine is shared: the load
 * average before and after each measurement is recorded, and ratios measured under contention are noisy. The CPU
 * ratio is of the median of three runs with each worker count.
 */
import { loadavg } from "node:os";

const N = 20_000;
/** Features of the matrix: 5 traits × 4 features = 20 jobs of about half a second each on an idle core. */
const FEATURES = 4;
const LLM_TASKS = 160;
const LLM_LATENCY_MS = 200;
const LLM_PER_WORKER = 2;
const RATE_PER_SECOND = 25;

export default async function scaleBench(): Promise<Record<string, unknown>> {
  const { startRedis } = await import("../test/scale/redis-server.ts");
  const { startWorker, waitForLog } = await import("../test/scale/workers.ts");
  const { startFakeLlmServer } = await import("../test/helpers/fake-llm-servers.ts");
  const { synthPersonaTable } = await import("../src/synth/persona-table.ts");
  const { numericTableFrom } = await import("../src/citest/table.ts");
  const { runLevel1 } = await import("../src/citest/level1.ts");
  const { JobQueue } = await import("../src/scale/producer.ts");
  const { level1OnQueue } = await import("../src/scale/level1-queue.ts");
  const { queuedInference } = await import("../src/scale/traits-queue.ts");
  const { inferTraits } = await import("../src/traits/runner.ts");
  const { parseLlmConfig } = await import("../src/traits/config.ts");
  const { openStore } = await import("../src/dataset/store.ts");

  const redis = await startRedis();
  const server = await startFakeLlmServer("openai", { latencyMs: LLM_LATENCY_MS });
  // One core per worker: OpenBLAS (and the addon's helper threads, which follow it) single-threaded, so that
  // one worker does not already use both cores and the ratio measures spreading work over workers.
  const env = { ...process.env, FAKE_OPENAI_KEY: "sk-bench-not-a-real-key", OPENBLAS_NUM_THREADS: "1" };
  const workers: Array<ReturnType<typeof startWorker>> = [];
  const queue = await JobQueue.open({ redisUrl: redis.url });
  const load = () => +loadavg()[0]!.toFixed(2);
  const addWorker = async () => {
    const w = startWorker(redis.url, { concurrency: 1, llmConcurrency: LLM_PER_WORKER, lockDurationMs: 30_000, stalledIntervalMs: 15_000 }, env);
    workers.push(w);
    await waitForLog(w, /serving/);
  };

  const synth = synthPersonaTable({ flavour: "athle", n: N, seed: 0, scale: "continuous" });
  const rows = synth.truth.rows;
  const cols = synth.truth.cols.filter((c) => !["Type", "Birthmonth", "Birthday"].includes(c)).slice(0, FEATURES); // continuous ones: the costly cells
  const table = numericTableFrom(synth, `synth athle n=${N}`, [...rows, ...cols]);
  /** Runs of the matrix per worker count: single runs on this shared VM vary by up to 40 %, so the ratio is of medians. */
  const CPU_REPEATS = 3;
  let matrixSeed = 0;
  const cpuRun = async () => {
    // A new seed per run gives new job ids (nothing reused from the last run) for the same work.
    const seed = ++matrixSeed * 1000;
    const loadBefore = load();
    const started = performance.now();
    await runLevel1({ data: table, rows, cols, tests: ["kci"], seed, runCells: level1OnQueue(queue) });
    const seconds = (performance.now() - started) / 1000;
    return { seconds, cellsPerSecond: (rows.length * cols.length) / seconds, loadBefore, loadAfter: load() };
  };

  const cpuRuns = async () => {
    const runs = [];
    for (let r = 0; r < CPU_REPEATS; r++) runs.push(await cpuRun());
    const seconds = runs.map((r) => r.seconds).sort((a, b) => a - b)[CPU_REPEATS >> 1]!;
    return { seconds, cellsPerSecond: (rows.length * cols.length) / seconds, runs };
  };

  const llmConfig = parseLlmConfig({ models: [{ name: "gpt", provider: "openai", model: "fake-gpt", baseUrl: server.baseUrl, apiKeyEnv: "FAKE_OPENAI_KEY",
    concurrency: 64, requestsPerMinute: RATE_PER_SECOND * 60, timeoutSeconds: 60 }] }, "bench-config.json");
  let llmRound = 0;
  const llmRun = async (tasks: number) => {
    const round = ++llmRound;
    const persons = Array.from({ length: tasks }, (_, i) => ({ id: `r${round}p${i}`, name: `Round ${round} Person ${i}`, flavour: "celebrity" as const, context: "actor" }));
    const store = await openStore(":memory:");
    const queued = await queuedInference(queue, llmConfig, undefined);
    const requestsBefore = server.requests.length;
    const loadBefore = load();
    const started = performance.now();
    const summary = await inferTraits({ config: queued.config, providers: queued.providers, persons, connection: store.connection, env: {}, seed: 0 });
    const seconds = (performance.now() - started) / 1000;
    await queued.close();
    store.close();
    return { tasks, ok: summary.ok, requests: server.requests.length - requestsBefore, seconds, requestsPerSecond: tasks / seconds, loadBefore, loadAfter: load() };
  };

  try {
    const cpu: Record<string, unknown> = {};
    const llm: Record<string, unknown> = {};
    await addWorker();
    await runLevel1({ data: table, rows: rows.slice(0, 1), cols: cols.slice(0, 2), tests: ["kci"], seed: 999_999, runCells: level1OnQueue(queue) }); // warm-up
    cpu["1"] = await cpuRuns();
    await llmRun(20); // warm-up
    llm["1"] = await llmRun(LLM_TASKS);
    for (const n of [2, 3, 4]) {
      await addWorker();
      if (n === 2) {
        await runLevel1({ data: table, rows: rows.slice(0, 2), cols: cols.slice(0, 2), tests: ["kci"], seed: 888_888, runCells: level1OnQueue(queue) }); // warm-up
        cpu["2"] = await cpuRuns();
      }
      await llmRun(20);
      llm[String(n)] = await llmRun(LLM_TASKS);
    }
    const c1 = cpu["1"] as { seconds: number }, c2 = cpu["2"] as { seconds: number };
    return {
      note: "workers are separate processes on this machine; the machine is shared with other jobs (see loadBefore/loadAfter, the 1-minute load average on 2 cores): ratios under contention are noisy",
      cpu: { matrix: `kci, ${rows.length} traits x ${cols.length} features, n = ${N}`, jobs: rows.length * cols.length, workers: cpu, speedup2vs1: +(c1.seconds / c2.seconds).toFixed(3),
        speedupOf: `median of ${CPU_REPEATS} runs each`, goal: 1.7 },
      llm: { tasks: LLM_TASKS, latencyMs: LLM_LATENCY_MS, callsPerWorker: LLM_PER_WORKER, rateLimitPerSecond: RATE_PER_SECOND, workers: llm,
        ideal: Object.fromEntries([1, 2, 3, 4].map((n) => [n, Math.min(RATE_PER_SECOND, (n * LLM_PER_WORKER * 1000) / LLM_LATENCY_MS)])) },
    };
  } finally {
    await queue.close();
    await Promise.all(workers.map((w) => w.stop()));
    await server.close();
    await redis.stop();
  }
}

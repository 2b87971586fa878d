/**
 * The child-process pool of the crl benchmarks: scores replicate jobs in single-threaded child processes
 * (bench/crl-replicate.worker.ts), `workers` at a time, and the summary statistics the results report.
 */
import { fork } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { scoreReplicate, type ReplicateJob, type ReplicateScore } from "./crl-replicate.worker.ts";

/** Replicate processes: one per core, or PERSONAX_CRL_BENCH_WORKERS (1 = in this process, one after another). */
export const benchWorkers = Math.max(1, Number(process.env.PERSONAX_CRL_BENCH_WORKERS ?? os.availableParallelism()));

/** Scores every job, `workers` at a time in single-threaded child processes (in order, in-process, for 1). */
export async function scoreAll(
  jobs: ReplicateJob[],
  onDone: (job: ReplicateJob, score: ReplicateScore) => void,
  workers = benchWorkers,
): Promise<ReplicateScore[]> {
  const scores: ReplicateScore[] = new Array(jobs.length);
  if (workers === 1) {
    for (const [i, job] of jobs.entries()) onDone(job, (scores[i] = await scoreReplicate(job)));
    return scores;
  }
  const script = fileURLToPath(new URL("./crl-replicate.worker.ts", import.meta.url));
  let next = 0;
  const lane = () => new Promise<void>((resolve, reject) => {
    const child = fork(script, [], { execArgv: process.execArgv, env: { ...process.env, OPENBLAS_NUM_THREADS: "1" }, stdio: "inherit",
      serialization: "advanced" }); // structured clone: NaN scores stay NaN (JSON would turn them into null)
    let current = -1;
    const send = () => {
      if (next >= jobs.length) { child.disconnect(); return; }
      current = next++;
      child.send(jobs[current]!);
    };
    child.on("message", (reply: { ok: true; score: ReplicateScore } | { ok: false; error: string }) => {
      if (!reply.ok) { child.kill(); reject(new Error(`replicate ${JSON.stringify(jobs[current])} failed: ${reply.error}`)); return; }
      scores[current] = reply.score;
      onDone(jobs[current]!, reply.score);
      send();
    });
    child.on("exit", (code) => (next >= jobs.length && scores[current] ? resolve() : reject(new Error(`crl bench worker exited (code ${code}) during ${JSON.stringify(jobs[current])}`))));
    send();
  });
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, lane));
  return scores;
}

export const round = (v: number) => Math.round(v * 1e4) / 1e4;

/** Mean and sample sd, with the values (rounded to 4 decimals). */
export function stats(values: number[]): { mean: number; sd: number; values: number[] } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean: round(mean), sd: round(sd), values: values.map(round) };
}

/** Population summary: mean, sd, min, 10th percentile (linear interpolation), median. */
export function populationStats(values: number[]): { n: number; mean: number; sd: number; min: number; p10: number; median: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const quantile = (q: number) => {
    const pos = q * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
  };
  const { mean, sd } = stats(values);
  return { n: values.length, mean, sd, min: round(sorted[0]!), p10: round(quantile(0.1)), median: round(quantile(0.5)) };
}

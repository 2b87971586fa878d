/**
 * Runs benchmark jobs in child processes, `workers` at a time, each single-threaded (OPENBLAS_NUM_THREADS=1):
 * for small models, one replicate per core uses the cores about twice as well as several threads on one
 * replicate (bench/crl-replicate.worker.ts measured it). The worker script answers each job message with
 * { ok: true, score } or { ok: false, error }. With workers = 1 the jobs run in this process, in order.
 */
import { fork } from "node:child_process";

export type WorkerReply<S> = { ok: true; score: S } | { ok: false; error: string };

export async function runReplicates<J, S>(
  script: string,
  jobs: readonly J[],
  workers: number,
  inProcess: (job: J) => Promise<S>,
  onDone: (job: J, score: S) => void,
): Promise<S[]> {
  const scores: S[] = new Array(jobs.length);
  if (workers <= 1) {
    for (const [i, job] of jobs.entries()) onDone(job, (scores[i] = await inProcess(job)));
    return scores;
  }
  let next = 0;
  const lane = () => new Promise<void>((resolve, reject) => {
    const child = fork(script, [], { execArgv: process.execArgv, env: { ...process.env, OPENBLAS_NUM_THREADS: "1" }, stdio: "inherit",
      serialization: "advanced" }); // structured clone: NaN scores stay NaN
    let current = -1;
    const send = () => {
      if (next >= jobs.length) { child.disconnect(); return; }
      current = next++;
      child.send(jobs[current] as object);
    };
    child.on("message", (reply: WorkerReply<S>) => {
      if (!reply.ok) { child.kill(); reject(new Error(`replicate ${JSON.stringify(jobs[current])} failed: ${reply.error}`)); return; }
      scores[current] = reply.score;
      onDone(jobs[current]!, reply.score);
      send();
    });
    child.on("exit", (code) => (next >= jobs.length && scores[current] !== undefined ? resolve() : reject(new Error(`bench worker exited (code ${code}) during ${JSON.stringify(jobs[current])}`))));
    send();
  });
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, lane));
  return scores;
}

/** The worker side: answers each job message with its score. */
export function serveReplicates<J, S>(score: (job: J) => Promise<S>): void {
  if (!process.send) return;
  process.on("message", (job: J) => {
    score(job).then(
      (s) => process.send!({ ok: true, score: s } satisfies WorkerReply<S>),
      (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies WorkerReply<S>),
    );
  });
  process.on("disconnect", () => process.exit(0));
}

/**
 * Sweeps of the synthetic CRL benchmark over seeds (`personax crl bench-case --seeds`): one run per seed,
 * locally one after the other or as one queue job each (`--queue`). A run is a pure function of its spec
 * (the seed draws the data and the initialisation), so a run on a worker gives the local run's result; both
 * paths return the same JSON summary (the form a job's result travels in), which is what the caller prints.
 */
import { runSyntheticCase, type SyntheticRunResult } from "../crl/synthetic-run.ts";
import type { CrlMode } from "../crl/config.ts";
import type { CurvePoint, EpochRecord } from "../crl/train.ts";
import { UsageError } from "../errors.ts";
import type { ProgressCallback } from "../util/progress.ts";
import { jobId } from "./jobs.ts";
import type { JobQueue, QueueJob } from "./producer.ts";
import { PACKAGE_VERSION } from "./version.ts";

/** One CRL run of a synthetic case: everything its result depends on. */
export interface CaseRunSpec {
  caseId: string;
  seed: number;
  mode: CrlMode;
  /** Rows generated (default: the case's). */
  nSamples?: number;
  train: { epochs: number; learningRate?: number; batchSize?: number };
}

/** What a run reports: scores, timing and the curves (for saveCurves), as plain JSON. */
export interface CaseRunSummary {
  case: string;
  seed: number;
  mode: CrlMode;
  epochs: number;
  /** JSON has no NaN: a score that could not be computed is null. */
  mcc: number | null;
  r2: number | null;
  r2HeldOut: number | null;
  shd?: number;
  bestMcc?: number | null;
  bestEpoch?: number;
  secondsPerEpoch: number;
  curves: { curve: CurvePoint[]; epochs: EpochRecord[]; best?: CurvePoint; final: CurvePoint; secondsPerEpoch: number; stoppedEarly: boolean };
}

export function summarizeCaseRun(spec: CaseRunSpec, result: SyntheticRunResult): CaseRunSummary {
  const t = result.training;
  const summary: CaseRunSummary = {
    case: spec.caseId, seed: spec.seed, mode: result.mode, epochs: result.epochs, mcc: result.mcc, r2: result.r2, r2HeldOut: result.r2HeldOut,
    shd: result.shd, bestMcc: result.bestMcc, bestEpoch: result.bestEpoch, secondsPerEpoch: result.secondsPerEpoch,
    curves: { curve: t.curve, epochs: t.epochs, best: t.best, final: t.final, secondsPerEpoch: t.secondsPerEpoch, stoppedEarly: t.stoppedEarly },
  };
  // The JSON form a queue job's result has (NaN → null, undefined fields dropped), also for local runs.
  return JSON.parse(JSON.stringify(summary)) as CaseRunSummary;
}

/** Runs one spec in this process (also the body of a queue job). */
export async function runCaseSpec(spec: CaseRunSpec, onProgress?: ProgressCallback): Promise<CaseRunSummary> {
  const result = await runSyntheticCase({
    caseId: spec.caseId, seed: spec.seed, mode: spec.mode, nSamples: spec.nSamples, train: spec.train, callbacks: { onProgress },
  });
  return summarizeCaseRun(spec, result);
}

/** Runs the specs one after the other in this process; `onProgress` counts epochs over the whole sweep. */
export async function runCaseSweepLocally(specs: readonly CaseRunSpec[], onProgress?: ProgressCallback): Promise<CaseRunSummary[]> {
  const out: CaseRunSummary[] = [];
  const total = specs.reduce((a, s) => a + s.train.epochs, 0);
  let before = 0;
  for (const spec of specs) {
    out.push(await runCaseSpec(spec, onProgress && ((done) => onProgress(before + done, total))));
    before += spec.train.epochs;
  }
  return out;
}

/**
 * Runs the specs as queue jobs (one per run, id = the spec's canonical key and the package version, so a
 * rerun takes runs that already finished); results in spec order, `onRun` as they finish.
 */
export async function runCaseSweepOnQueue(queue: JobQueue, specs: readonly CaseRunSpec[], onRun?: (s: CaseRunSummary, done: number) => void): Promise<CaseRunSummary[]> {
  const jobs: Array<QueueJob<CaseRunSpec>> = specs.map((spec) => ({ id: jobId("crl-run", PACKAGE_VERSION, canonicalSpec(spec)), kind: "crl-run", payload: canonicalSpec(spec) }));
  const ids = new Set(jobs.map((j) => j.id));
  if (ids.size !== jobs.length) throw new UsageError("the sweep lists the same run twice", "list each seed once");
  return queue.runAll<CaseRunSummary>(jobs, { onResult: (summary, _, done) => onRun?.(summary, done) });
}

/** The spec with its fields in a fixed order and no undefined ones (its job id must not depend on how it was written). */
function canonicalSpec(spec: CaseRunSpec): CaseRunSpec {
  const train: CaseRunSpec["train"] = { epochs: spec.train.epochs };
  if (spec.train.learningRate !== undefined) train.learningRate = spec.train.learningRate;
  if (spec.train.batchSize !== undefined) train.batchSize = spec.train.batchSize;
  return { caseId: spec.caseId, seed: spec.seed, mode: spec.mode, ...(spec.nSamples !== undefined ? { nSamples: spec.nSamples } : {}), train };
}

export interface SweepStats { runs: number; mean: number; sd: number; min: number; max: number; worstSeed: number }

/** Mean, spread and worst run of a score over the sweep's seeds (runs without the score are left out). */
export function sweepStats(runs: readonly CaseRunSummary[], score: "mcc" | "r2" | "r2HeldOut"): SweepStats | undefined {
  const scored = runs.filter((r) => typeof r[score] === "number") as Array<CaseRunSummary & Record<typeof score, number>>;
  if (scored.length === 0) return undefined;
  const values = scored.map((r) => r[score]);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  const worst = scored.reduce((w, r) => (r[score] < w[score] ? r : w));
  return { runs: values.length, mean, sd, min: Math.min(...values), max: Math.max(...values), worstSeed: worst.seed };
}

/** Seeds from "1,2,7" or ranges "1-5" (mixed: "1-3,10"). */
export function parseSeedList(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (to < from) throw new UsageError(`--seeds: range ${part} runs backwards`, `write it as ${to}-${from}`);
      if (to - from >= 10_000) throw new UsageError(`--seeds: range ${part} has more than 10,000 seeds`, "split the sweep");
      for (let s = from; s <= to; s++) seeds.push(s);
    } else if (/^\d+$/.test(part)) seeds.push(Number(part));
    else throw new UsageError(`--seeds: "${part}" is not a seed or a range`, "write seeds like 1,2,3 or 1-5");
  }
  if (seeds.length === 0) throw new UsageError("--seeds lists no seed", "write seeds like 1,2,3 or 1-5");
  if (new Set(seeds).size !== seeds.length) throw new UsageError(`--seeds lists a seed twice (${text})`, "list each seed once");
  return seeds;
}

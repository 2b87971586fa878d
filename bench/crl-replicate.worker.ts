/**
 * Child process of the crl benchmark: trains the replicates the parent sends (one at a time, over IPC) and
 * answers with their scores. The parent starts one per core with OPENBLAS_NUM_THREADS=1: the synthetic
 * models are small (15–30-d inputs, 128-wide layers, 256-row batches), so one thread per replicate and
 * replicates side by side use two cores about twice as well as two threads on one replicate.
 */
import { runSyntheticCase } from "../src/crl/synthetic-run.ts";
import type { CrlMode, CrlModelConfig } from "../src/crl/config.ts";

export interface ReplicateJob {
  caseId: string;
  /** Data seed (and, without `initSeed`, the training seed). */
  seed: number;
  mode: CrlMode;
  epochs?: number;
  /** Training seed (initialisation, batches), when it differs from the data seed. */
  initSeed?: number;
  /** Model overrides on top of the synthetic defaults. */
  model?: Partial<CrlModelConfig>;
}

export interface ReplicateScore {
  mcc: number;
  r2: number;
  r2HeldOut: number;
  bestMcc: number;
  shd: number;
  secondsPerEpoch: number;
  epochs: number;
  restartChosen?: number;
  /** Label-free quantities a selection rule may use: final validation loss, its prior NLL and the independence term. */
  valLoss: number;
  valNll: number;
  valIndependence: number;
  trainNll: number;
}

export async function scoreReplicate(job: ReplicateJob): Promise<ReplicateScore> {
  const train = { ...(job.epochs ? { epochs: job.epochs } : {}), ...(job.initSeed !== undefined ? { seed: job.initSeed } : {}) };
  const run = await runSyntheticCase({ caseId: job.caseId, seed: job.seed, mode: job.mode, train, ...(job.model ? { model: job.model } : {}) });
  const final = run.training.final;
  return {
    mcc: run.mcc,
    r2: run.r2,
    r2HeldOut: run.r2HeldOut,
    bestMcc: run.bestMcc ?? run.mcc,
    shd: run.shd ?? NaN,
    secondsPerEpoch: run.secondsPerEpoch,
    epochs: run.epochs,
    restartChosen: run.training.restartChosen,
    valLoss: final.valLoss,
    valNll: final.valNll,
    valIndependence: final.valIndependence ?? NaN,
    trainNll: final.trainNll,
  };
}

if (process.send) {
  process.on("message", (job: ReplicateJob) => {
    scoreReplicate(job).then(
      (score) => process.send!({ ok: true, score }),
      (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
    );
  });
  process.on("disconnect", () => process.exit(0));
}

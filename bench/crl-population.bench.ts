/**
 * `npm run bench -- crl-population`: does the default CRL estimator identify the latents over a population
 * of seeds, not just favourable draws (issue 12)?
 *
 * Case a: data seeds 1–10 × 3 initialisations (training seeds s, 1000·s + 1, 1000·s + 2), each a single
 * initialisation trained once with no selection; plus the selection rule on the same seeds: of the three,
 * keep the run with the lowest label-free `SELECTION_KEY` (no ground truth is used to choose). Cases b–e:
 * data seeds 1–5, one initialisation each. Every run: default mode with the synthetic defaults
 * (src/crl/synthetic-run.ts: 60 epochs); MCC, R² (in-sample and held-out) and SHD of the learned latent
 * graph on the 10 % evaluation split after the last epoch. Per case: n, mean, sd, min, 10th percentile,
 * median. The mechanisms and the selection key were chosen on other data seeds (201–212), so these seeds
 * are fresh: there, keeping the lowest validation prior NLL of 2 initialisations gave MCC 0.916 against 0.908
 * for one initialisation (0.915 vs 0.912 with the path-norm sparsity), the total validation loss 0.897 / 0.904.
 *
 * Environment overrides for quicker runs: PERSONAX_CRL_POP_SEEDS_A=10  PERSONAX_CRL_POP_INITS=3
 * PERSONAX_CRL_POP_SEEDS_OTHER=5  PERSONAX_CRL_POP_CASES=a,b,c,d,e  PERSONAX_CRL_BENCH_EPOCHS=60
 * PERSONAX_CRL_BENCH_WORKERS (bench/crl-harness.ts).
 */
import { syntheticModelDefaults, syntheticTrainDefaults } from "../src/crl/synthetic-run.ts";
import { crlCase } from "../src/synth/crl-cases.ts";
import type { ReplicateJob, ReplicateScore } from "./crl-replicate.worker.ts";
import { benchWorkers, populationStats, round, scoreAll } from "./crl-harness.ts";

const env = process.env;
const seedsA = Number(env.PERSONAX_CRL_POP_SEEDS_A ?? 10);
const inits = Number(env.PERSONAX_CRL_POP_INITS ?? 3);
const seedsOther = Number(env.PERSONAX_CRL_POP_SEEDS_OTHER ?? 5);
const cases = (env.PERSONAX_CRL_POP_CASES ?? "a,b,c,d,e").split(",").filter(Boolean);
const epochs = env.PERSONAX_CRL_BENCH_EPOCHS ? Number(env.PERSONAX_CRL_BENCH_EPOCHS) : undefined;

/** The label-free score the selection keeps the lowest of (see the closing note of issue 12 for the choice). */
export const SELECTION_KEY = "valNll" satisfies keyof ReplicateScore;

const initSeed = (seed: number, k: number) => (k === 0 ? seed : 1000 * seed + k);

function summary(runs: ReplicateScore[]) {
  return {
    mcc: populationStats(runs.map((r) => r.mcc)),
    r2: populationStats(runs.map((r) => r.r2)),
    r2_heldout: populationStats(runs.map((r) => r.r2HeldOut)),
    shd: populationStats(runs.map((r) => r.shd)),
  };
}

export default async function crlPopulationBench(): Promise<Record<string, unknown>> {
  const started = performance.now();
  const jobs: ReplicateJob[] = cases.flatMap((caseId) => {
    const seeds = caseId === "a" ? seedsA : seedsOther;
    const perSeed = caseId === "a" ? inits : 1;
    return Array.from({ length: seeds }, (_, i) => Array.from({ length: perSeed }, (_, k) => ({
      caseId, seed: i + 1, initSeed: initSeed(i + 1, k), mode: "default" as const, ...(epochs ? { epochs } : {}),
    }))).flat();
  });
  const scores = await scoreAll(jobs, (job, r) =>
    console.error(`crl-population: case ${job.caseId} seed ${job.seed} init ${job.initSeed}: MCC ${r.mcc.toFixed(3)}, SHD ${r.shd}, R² ${r.r2.toFixed(3)}`));
  const result: Record<string, unknown> = {};
  for (const caseId of cases) {
    const idx = jobs.map((j, i) => (j.caseId === caseId ? i : -1)).filter((i) => i >= 0);
    const runs = idx.map((i) => ({
      seed: jobs[i]!.seed,
      init_seed: jobs[i]!.initSeed,
      mcc: round(scores[i]!.mcc),
      r2: round(scores[i]!.r2),
      r2_heldout: round(scores[i]!.r2HeldOut),
      shd: scores[i]!.shd,
      [SELECTION_KEY]: round(scores[i]![SELECTION_KEY]),
    }));
    const entry: Record<string, unknown> = { title: crlCase(caseId).title, single_initialisation: summary(idx.map((i) => scores[i]!)) };
    const seeds = [...new Set(idx.map((i) => jobs[i]!.seed))];
    if (idx.length > seeds.length) {
      const chosen = seeds.map((s) => idx.filter((i) => jobs[i]!.seed === s).reduce((b, i) => (scores[i]![SELECTION_KEY] < scores[b]![SELECTION_KEY] ? i : b)));
      entry.selected = {
        rule: `per data seed, the initialisation with the lowest ${SELECTION_KEY} (label-free) of ${inits}`,
        chosen_init_seeds: chosen.map((i) => jobs[i]!.initSeed),
        ...summary(chosen.map((i) => scores[i]!)),
      };
    }
    entry.runs = runs;
    result[caseId] = entry;
  }
  return {
    cases: result,
    settings: {
      seeds_case_a: seedsA,
      initialisations_case_a: inits,
      seeds_other_cases: seedsOther,
      init_seeds: "k = 0: the data seed (the crl bench's run); k ≥ 1: 1000·seed + k",
      n_rows: 10_000,
      evaluation_split: 0.1,
      replicate_processes: benchWorkers,
      train: { ...syntheticTrainDefaults("default"), ...(epochs ? { epochs } : {}) },
      model: syntheticModelDefaults("default"),
    },
    seconds_total: round((performance.now() - started) / 1000),
  };
}

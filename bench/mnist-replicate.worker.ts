/**
 * Child process of the variant-MNIST benchmark (bench/mnist.bench.ts): trains the replicates the parent
 * sends, one at a time, single-threaded. The data of the last seed is kept, so consecutive methods on
 * the same seed generate it once.
 */
import { runMnistMethod, type MnistMethodName, type MnistTrainBudget } from "../src/crl/baselines/index.ts";
import { generateVariantMnist, type VariantMnistData } from "../src/synth/variant-mnist.ts";
import { serveReplicates } from "./replicate-pool.ts";

export interface MnistJob {
  method: MnistMethodName;
  seed: number;
  n: number;
  budget: Partial<MnistTrainBudget>;
}

export interface MnistScore {
  mcc: number;
  r2: number;
  r2HeldOut: number;
  secondsPerEpoch: number;
  epochs: number;
}

let cached: { key: string; data: VariantMnistData } | undefined;

export async function scoreMnistJob(job: MnistJob): Promise<MnistScore> {
  const key = `${job.seed}/${job.n}`;
  if (cached?.key !== key) cached = { key, data: generateVariantMnist({ n: job.n, seed: job.seed }) };
  const r = await runMnistMethod({ method: job.method, seed: job.seed, data: cached.data, budget: job.budget });
  return { mcc: r.mcc, r2: r.r2, r2HeldOut: r.r2HeldOut, secondsPerEpoch: r.secondsPerEpoch, epochs: r.epochs };
}

serveReplicates(scoreMnistJob);

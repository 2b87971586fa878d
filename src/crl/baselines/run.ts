/**
 * One replicate of the variant-MNIST benchmark: generate the seed's data (src/synth/variant-mnist.ts),
 * train one method on the common budget, score its latents. The library function behind
 * `personax crl bench-mnist` and `npm run bench -- mnist`.
 */
import type { Matrix } from "../../linalg/matrix.ts";
import { openOutputFolder } from "../../util/output-folder.ts";
import { writeManifest } from "../../report/manifest.ts";
import { generateVariantMnist, variantMnistDataset, type VariantMnistData } from "../../synth/variant-mnist.ts";
import { mnistTileGridPng, sampleRowsPng } from "../../synth/variant-mnist-grid.ts";
import { latentTraversals } from "./traversal.ts";
import { MNIST_BUDGET, type MethodRun, type MnistTrainBudget } from "./common.ts";
import { mnistMethods, type MnistMethod, type MnistMethodName } from "./index.ts";
import type { ProgressCallback } from "../../util/progress.ts";

export interface MnistRunOptions {
  method: MnistMethodName;
  seed: number;
  /** Rows generated (default 20,000). */
  n?: number;
  /** Overrides of the common budget (epochs, learning rate, batch size). */
  budget?: Partial<MnistTrainBudget>;
  /** Data already generated for this seed (the benchmark reuses it across methods). */
  data?: VariantMnistData;
  onProgress?: ProgressCallback;
}

/** One replicate's scores (what `crl bench-mnist --json` prints, with the settings). */
export interface MnistScores {
  method: MnistMethodName;
  seed: number;
  n: number;
  epochs: number;
  mcc: number;
  r2: number;
  r2HeldOut: number;
  secondsPerEpoch: number;
}

export interface MnistRunResult extends MnistScores {
  run: MethodRun;
  data: VariantMnistData;
  /** When the run started (for the output folder's run manifest). */
  started: Date;
}

/** result.json of a saved run (what the report section reads). */
export interface MnistResultJson extends MnistScores {
  evaluationRows: number;
  title: string;
  /** The paper's numbers for the method, when it reports them. */
  paper: { r2: number; mcc: number } | null;
}

export async function runMnistMethod(options: MnistRunOptions): Promise<MnistRunResult> {
  const started = new Date();
  const data = options.data ?? generateVariantMnist({ n: options.n, seed: options.seed });
  const budget = { ...MNIST_BUDGET, ...options.budget };
  const run = await mnistMethods[options.method].train(data, budget, options.seed, options.onProgress);
  return {
    method: options.method, seed: options.seed, n: data.n, epochs: run.epochs,
    mcc: run.mcc, r2: run.r2, r2HeldOut: run.r2HeldOut, secondsPerEpoch: run.secondsPerEpoch, run, data, started,
  };
}

function matrixCsv(m: Matrix, names: readonly string[]): string {
  const lines = [["row", ...names].join(",")];
  for (let i = 0; i < m.rows; i++) lines.push([i, ...Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols), (v) => +v.toPrecision(7))].join(","));
  return lines.join("\n") + "\n";
}

/**
 * Writes a run: the true latents, DAG and split of the data (truth.csv, dag.json, split.json), eight sample
 * rows of the four measurements (samples.png), the learned latents (latents.csv) and the scores
 * (result.json); for the CRL methods also one latent traversal grid per learned latent
 * (traversal-<latent>.png: a row per measurement of its modality, a column per step from the latent's 5th
 * to 95th percentile). The images themselves are not saved: the seed regenerates them exactly.
 */
export async function saveMnistRun(dir: string, result: MnistRunResult): Promise<string[]> {
  const out = await openOutputFolder(dir);
  const { data, run } = result;
  await out.put("truth.csv", matrixCsv(data.latents, data.latentNames));
  await out.put("dag.json", JSON.stringify({ latents: data.latentNames, owner: data.owner, adjacency: data.adjacency, meaning: "adjacency[i][j] = 1 for i → j" }, null, 2) + "\n");
  await out.put("split.json", JSON.stringify({ seed: data.seed, settings: data.settings, train: data.trainRows, test: data.testRows }) + "\n");
  await out.put("samples.png", sampleRowsPng(data, data.testRows.slice(0, 8)));
  await out.put("latents.csv", matrixCsv(run.latents, Array.from({ length: run.latents.cols }, (_, j) => `learned_${j + 1}`)));
  if (run.training) {
    const measurements = run.training.model.config.modalities[0]!.measurements === 3 ? 3 : 1;
    for (const t of latentTraversals(run.training, variantMnistDataset(data, measurements), { inputScales: run.inputScales })) {
      await out.put(`traversal-${t.latent}.png`, mnistTileGridPng(t.decoded));
    }
  }
  const summary: MnistResultJson = {
    method: result.method, seed: result.seed, n: result.n, epochs: result.epochs, mcc: result.mcc, r2: result.r2, r2HeldOut: result.r2HeldOut,
    secondsPerEpoch: result.secondsPerEpoch, evaluationRows: run.evalRows.length,
    title: mnistMethods[result.method].title, paper: (mnistMethods[result.method] as MnistMethod).paper ?? null,
  };
  await out.put("result.json", JSON.stringify(summary, null, 2) + "\n");
  // The folder is a run `personax report` can draw (report/sections/crl-mnist.ts).
  const manifest = await writeManifest(dir, {
    kind: "crl-mnist", command: "personax crl bench-mnist", seed: result.seed, started: result.started,
    params: { method: result.method, seed: result.seed, n: result.n, epochs: result.epochs }, files: out.written,
  });
  return [...out.written, manifest];
}

/**
 * A complete CRL run from a `crl.json` config: load the data (a store's embeddings or a synthetic
 * case), train, save curves/plots/checkpoints/latents into the output folder, write the latents back to
 * the store, then run PC on the evaluation split's latents with "no edge into a shared latent" knowledge
 * and render the graph. The library function behind `personax crl train`.
 *
 * crl.json:
 *   { "data": { "store": "celeb.duckdb", "flavour": "celeb",
 *               "modalities": [ { "name": "face", "kind": "face", "latentDim": 10 },
 *                               { "name": "text", "kind": "text", "latentDim": 5 } ] },
 *     // or "data": { "synthetic": { "case": "a", "seed": 1, "nSamples": 10000 } }
 *     "model": { "sharedDim": 3, "hidden": [512, 256, 128], "activation": "elu", "mode": "default" },
 *     "train": { "epochs": 1000, "learningRate": 3e-4, "evalEvery": 100 },
 *     "pc": { "test": "fisherz", "alpha": 0.05 },
 *     "out": "crl-run" }
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { ConfigError, DataError, formatZodIssues } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { openStore } from "../dataset/store.ts";
import { csvField, csvLine } from "../dataset/csv.ts";
import { runPc } from "../discovery/run-pc.ts";
import { pcResultToJson } from "../discovery/export.ts";
import { writeManifest } from "../report/manifest.ts";
import { svgToPng } from "../report/png.ts";
import { generateCrlCase } from "../synth/crl-cases.ts";
import { CrlModelConfig, CrlTrainConfig } from "./config.ts";
import { saveCurves } from "./curves.ts";
import { datasetFromMultimodal, modalityConfigs, type CrlDataset } from "./data.ts";
import { latentGraphSvg } from "../report/latent-graph.ts";
import { readCrlDatasetFromStore, StoreModalitySpec, writeCrlLatents } from "./store-io.ts";
import { trainCrl, type CrlTrainCallbacks, type CrlTrainResult } from "./train.ts";

// Strict at every level: a misspelt field ("epoch": 5000) is an error naming the nearest valid name, not ignored.
const ModelOverrides = CrlModelConfig.omit({ modalities: true }).partial().strict();

export const CrlRunConfig = z.strictObject({
  data: z.union([
    z.strictObject({
      store: z.string().min(1),
      flavour: z.enum(["celeb", "athle"]).optional(),
      modalities: z.array(StoreModalitySpec).min(1).superRefine((modalities, ctx) => {
        modalities.forEach((m, i) => {
          const first = modalities.findIndex((o) => o.name === m.name);
          if (first < i) ctx.addIssue({ code: "custom", path: [i, "name"], message: `modality name "${m.name}" is already used by modalities[${first}] (latent names would collide)` });
        });
      }),
    }),
    z.strictObject({
      synthetic: z.strictObject({ case: z.string().min(1), seed: z.number().int().min(0).default(1), nSamples: z.number().int().min(20).optional() }),
    }),
  ]),
  model: ModelOverrides.prefault({}),
  train: CrlTrainConfig.strict().prefault({}),
  pc: z.strictObject({
    enabled: z.boolean().default(true),
    test: z.string().default("fisherz"),
    alpha: z.number().gt(0).lt(1).default(0.05),
  }).prefault({}),
  /** Output folder; relative paths are resolved against the config file's folder. */
  out: z.string().default("crl-run"),
  /** Write the learned latents back into the store (store data only). */
  writeLatents: z.boolean().default(true),
});
export type CrlRunConfig = z.input<typeof CrlRunConfig>;

export interface CrlRunSummary {
  outDir: string;
  source: string;
  rows: number;
  latentNames: string[];
  epochs: number;
  secondsPerEpoch: number;
  final: CrlTrainResult["final"];
  best?: CrlTrainResult["best"];
  storeRunId?: number;
  pc?: { test: string; alpha: number; edges: string[]; rows: number };
  files: string[];
}

export async function loadCrlRunConfig(path: string): Promise<{ config: z.output<typeof CrlRunConfig>; baseDir: string }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new ConfigError(path, `cannot read the CRL config: ${error instanceof Error ? error.message : String(error)}`, "pass a JSON file like docs in src/crl/run-config.ts");
  }
  const parsed = CrlRunConfig.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(path, formatZodIssues(parsed.error.issues, { schema: CrlRunConfig }),
      "see the crl.json example at the top of src/crl/run-config.ts");
  }
  return { config: parsed.data, baseDir: dirname(resolve(path)) };
}

export async function runCrlFromConfig(
  config: z.output<typeof CrlRunConfig>,
  options: { baseDir?: string; callbacks?: CrlTrainCallbacks; log?: (line: string) => void } = {},
): Promise<CrlRunSummary> {
  const started = new Date();
  const baseDir = options.baseDir ?? process.cwd();
  const outDir = resolve(baseDir, config.out);
  const log = options.log ?? (() => {});

  let dataset: CrlDataset;
  let latentDims: number[];
  let source: string;
  let storePath: string | undefined;
  if ("store" in config.data) {
    const spec = config.data;
    storePath = resolve(baseDir, spec.store);
    const store = await openStore(storePath, { readOnly: true });
    try {
      const read = await readCrlDatasetFromStore(store, spec.modalities, spec.flavour);
      dataset = read.dataset;
      latentDims = read.latentDims;
      source = `store ${storePath}: ${read.blocks.map((b, i) => `${spec.modalities[i]!.name} = ${b.join(" + ")}`).join("; ")}`;
      if (read.droppedPersons > 0) log(`${read.droppedPersons} persons lack some embedding block and were left out`);
    } finally {
      store.close();
    }
  } else {
    const s = config.data.synthetic;
    const data = generateCrlCase(s.case, s.seed, { nSamples: s.nSamples });
    dataset = datasetFromMultimodal(data);
    latentDims = data.spec.modalities.map((m) => m.latentDim);
    source = `synthetic case ${s.case} (seed ${s.seed}, ${data.spec.nSamples} rows)`;
    if (config.model.sharedDim === undefined) config.model.sharedDim = data.spec.sharedDim;
  }
  log(`data: ${source}`);
  // Everything that can be known before training is checked now, so a refused run writes nothing anywhere.
  checkCrlData(dataset, latentDims, config, storePath ?? "the synthetic case");
  await mkdir(outDir, { recursive: true });

  const modelConfig: CrlModelConfig = { ...config.model, modalities: modalityConfigs(dataset, latentDims) };
  const trainConfig = { ...config.train, checkpointDir: config.train.checkpointDir ? resolve(baseDir, config.train.checkpointDir) : join(outDir, "checkpoints") };
  const result = await trainCrl(dataset, modelConfig, trainConfig, options.callbacks);
  const files = await saveCurves(outDir, result);

  // Latents of every row, with the split each row belongs to.
  const isEval = new Set(result.evalRows);
  const csv = [csvLine(["id", "split", ...result.latentNames])];
  for (let i = 0; i < result.latents.rows; i++) {
    const row = Array.from(result.latents.data.subarray(i * result.latents.cols, (i + 1) * result.latents.cols), (v) => String(v));
    csv.push([csvField(dataset.ids?.[i] ?? String(i)), isEval.has(i) ? "eval" : "train", ...row].join(","));
  }
  const latentsPath = join(outDir, "latents.csv");
  await writeFile(latentsPath, csv.join("\n") + "\n");
  files.push(latentsPath);

  const graphSpec = {
    names: result.latentNames,
    owner: result.model.owner,
    modalityNames: result.model.config.modalities.map((m) => m.name),
  };
  const learnedSvg = await latentGraphSvg({ ...graphSpec, adjacency: result.learnedAdjacency, title: "learned adjacency A (model)" });
  await writeFile(join(outDir, "graph-learned.svg"), learnedSvg);
  files.push(join(outDir, "graph-learned.svg"));

  let pcSummary: CrlRunSummary["pc"];
  if (config.pc.enabled) {
    const evalLatents = pickRows(result.latents, result.evalRows);
    const shared = result.latentNames.filter((_, i) => result.model.owner[i] === -1);
    const pc = runPc(evalLatents, { test: config.pc.test, alpha: config.pc.alpha, nodeNames: result.latentNames, knowledge: { noEdgesInto: shared } });
    const json = pcResultToJson(pc, { test: config.pc.test, alpha: config.pc.alpha, rows: evalLatents.rows });
    await writeFile(join(outDir, "pc-graph.json"), JSON.stringify(json, null, 2) + "\n");
    const adjacency = graphAdjacency(pc.graph.edges(), result.latentNames.length);
    const svg = await latentGraphSvg({ ...graphSpec, adjacency, title: `PC (${config.pc.test}, α = ${config.pc.alpha}) on the evaluation split's latents` });
    await writeFile(join(outDir, "pc-graph.svg"), svg);
    await writeFile(join(outDir, "pc-graph.png"), svgToPng(svg));
    files.push(join(outDir, "pc-graph.json"), join(outDir, "pc-graph.svg"), join(outDir, "pc-graph.png"));
    pcSummary = { test: config.pc.test, alpha: config.pc.alpha, edges: json.edges.map((e) => e.text), rows: evalLatents.rows };
  }

  // Written last: a run that fails (e.g. in PC) leaves the store as it was.
  let storeRunId: number | undefined;
  if (storePath && config.writeLatents) {
    const store = await openStore(storePath);
    try {
      storeRunId = await writeCrlLatents(store, dataset.ids!, result.latentNames, result.latents, { params: { model: modelConfig, train: trainConfig }, seed: result.config.train.seed });
    } finally {
      store.close();
    }
    log(`latents written to ${storePath} (crl_latents, run ${storeRunId})`);
  }

  const summary: CrlRunSummary = {
    outDir,
    source,
    rows: dataset.nRows,
    latentNames: result.latentNames,
    epochs: result.epochsRun,
    secondsPerEpoch: result.secondsPerEpoch,
    final: result.final,
    best: result.best,
    storeRunId,
    pc: pcSummary,
    files,
  };
  const runJson = join(outDir, "run.json");
  // With ground truth (synthetic data) the true latent graph and the learned one in the truth's latent order, for the report.
  const truth = dataset.truth?.adjacency && dataset.truth.owner
    ? { names: dataset.truth.names, owner: dataset.truth.owner, adjacency: dataset.truth.adjacency, alignedAdjacency: result.alignedAdjacency ?? null }
    : undefined;
  await writeFile(runJson, JSON.stringify({ summary, config, evalRows: result.evalRows, learnedAdjacency: result.learnedAdjacency, adjacencyWeights: result.model.adjacencyWeights(), modalityNames: graphSpec.modalityNames, owner: graphSpec.owner, ...(truth ? { truth } : {}) }, null, 2) + "\n");
  summary.files.push(runJson);
  summary.files.push(await writeManifest(outDir, {
    kind: "crl-train", command: "personax crl train", params: config as Record<string, unknown>, seed: result.config.train.seed, started, files: summary.files,
    timings: { secondsPerEpoch: result.secondsPerEpoch, training: result.curve.at(-1)?.seconds ?? result.secondsPerEpoch * result.epochsRun },
  }));
  return summary;
}

/** The smallest evaluation split PC and the metrics can use, and the smallest training split. */
export const MIN_EVAL_ROWS = 10;
export const MIN_TRAIN_ROWS = 20;

/**
 * Refuses data a run cannot use, before anything is trained or written: latentDim above a modality's input
 * size, too few rows for the training and evaluation splits, and constant embeddings (nothing to learn).
 */
function checkCrlData(dataset: CrlDataset, latentDims: number[], config: z.output<typeof CrlRunConfig>, source: string): void {
  const where = "modalities" in config.data ? (i: number) => `data.modalities[${i}]` : (i: number) => `modality ${i}`;
  dataset.modalities.forEach((m, i) => {
    if (latentDims[i]! > m.inputDim) {
      throw new ConfigError("crl config", `${where(i)} ("${m.name}"): latentDim ${latentDims[i]} is larger than its input size ${m.inputDim}`,
        `choose latentDim ≤ ${m.inputDim} for "${m.name}"`);
    }
    const constant = m.measurements.every((x) => {
      for (let c = 0; c < m.inputDim; c++) {
        const first = x[c]!;
        for (let r = 1; r < dataset.nRows; r++) if (x[r * m.inputDim + c] !== first) return false;
      }
      return true;
    });
    if (constant) {
      throw new DataError(source, 0, m.name, `every embedding of modality "${m.name}" is the same vector (constant input: there is nothing to learn)`,
        "recompute the embeddings (personax embed …); constant vectors usually mean the model failed on every input");
    }
  });
  const fraction = config.train.validationFraction;
  const nEval = fraction > 0 ? Math.max(2, Math.round(dataset.nRows * fraction)) : dataset.nRows;
  const nTrain = dataset.nRows - (fraction > 0 ? nEval : 0);
  if (nTrain < MIN_TRAIN_ROWS || (config.pc.enabled && nEval < MIN_EVAL_ROWS)) {
    const need = Math.max(MIN_TRAIN_ROWS + 2, fraction > 0 ? Math.ceil(MIN_EVAL_ROWS / fraction) : MIN_EVAL_ROWS);
    throw new DataError(source, 0, undefined, `${dataset.nRows} persons are too few: the run needs at least ${MIN_TRAIN_ROWS} training rows` +
      `${config.pc.enabled ? ` and ${MIN_EVAL_ROWS} evaluation rows for PC (validationFraction ${fraction})` : ""}; it would have ${nTrain} and ${nEval}`,
      `use at least ${need} persons with every embedding block, raise train.validationFraction, or set "pc": {"enabled": false}`);
  }
}

/** Directed edges a → b as adjacency[a][b] = 1; undirected (or other marks) as both directions. */
export function graphAdjacency(edges: Array<{ a: number; b: number; atA: string; atB: string }>, n: number): number[][] {
  const adjacency = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const e of edges) {
    if (e.atA === "tail" && e.atB === "arrow") adjacency[e.a]![e.b] = 1;
    else if (e.atA === "arrow" && e.atB === "tail") adjacency[e.b]![e.a] = 1;
    else { adjacency[e.a]![e.b] = 1; adjacency[e.b]![e.a] = 1; }
  }
  return adjacency;
}

function pickRows(m: Matrix, rows: readonly number[]): Matrix {
  const data = new Float64Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { rows: rows.length, cols: m.cols, data };
}



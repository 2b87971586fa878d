/**
 * Scores a finished CRL run (the output folder of `personax crl train`) against true latents: MCC with
 * its matched pairs, R² of the kernel ridge in-sample and held-out, and the SHD of the learned graph
 * when the true graph is known. Truth comes from the run's synthetic case (regenerated from its seed) or
 * from a CSV with an `id` column and one column per true latent.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeManifest } from "../report/manifest.ts";
import { DataError } from "../errors.ts";
import { parseCsv as parseProjectCsv } from "../dataset/csv.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { generateCrlCase } from "../synth/crl-cases.ts";
import { Rng } from "../util/rng.ts";
import { mcc } from "./metrics/mcc.ts";
import { r2HeldOut, r2InSample } from "./metrics/r2.ts";
import { alignToTruth, shd } from "./metrics/shd.ts";
import type { CorrelationMethod } from "./metrics/correlation.ts";

export interface CrlEvaluation {
  rows: number;
  trueNames: string[];
  learnedNames: string[];
  mcc: number;
  pairs: Array<{ truth: string; learned: string; absR: number }>;
  r2InSample: number;
  r2HeldOut: number;
  r2Rows: number;
  shd?: number;
}

interface RunJson {
  config: { data: { synthetic?: { case: string; seed: number; nSamples?: number } } };
  learnedAdjacency: number[][];
}

/**
 * Scores the run in `dir`; with `out`, also writes evaluation.json and the run manifest there (for
 * `personax report`).
 */
export async function evaluateCrlRun(dir: string, options: { truthPath?: string; method?: CorrelationMethod; maxRows?: number; seed?: number; out?: string } = {}): Promise<CrlEvaluation> {
  const started = new Date();
  const evaluation = await scoreCrlRun(dir, options);
  if (options.out) {
    await mkdir(options.out, { recursive: true });
    await writeFile(join(options.out, "evaluation.json"), JSON.stringify(evaluation, null, 2) + "\n");
    await writeManifest(options.out, {
      kind: "crl-eval", command: "personax crl eval", seed: options.seed ?? 0, started, files: ["evaluation.json"],
      params: { run: resolve(dir), truth: options.truthPath ?? null, method: options.method ?? "pearson", maxRows: options.maxRows ?? 2000 },
    });
  }
  return evaluation;
}

async function scoreCrlRun(dir: string, options: { truthPath?: string; method?: CorrelationMethod; maxRows?: number; seed?: number }): Promise<CrlEvaluation> {
  const runPath = join(dir, "run.json");
  let run: RunJson;
  try {
    run = JSON.parse(await readFile(runPath, "utf8")) as RunJson;
  } catch {
    throw new DataError(runPath, 0, undefined, "cannot read the run record", "pass the output folder of 'personax crl train' (it holds run.json and latents.csv)");
  }
  const latentsPath = join(dir, "latents.csv");
  const table = parseCsv(await readFile(latentsPath, "utf8"), latentsPath);
  const learnedNames = table.header.slice(2);
  const evalRows = table.rows.filter((r) => r[1] === "eval");
  const ids = evalRows.map((r) => r[0]!);
  const learned = toMatrix(evalRows.map((r) => r.slice(2)), latentsPath, 3);

  let truth: Matrix;
  let trueNames: string[];
  let trueAdjacency: number[][] | undefined;
  if (options.truthPath) {
    const t = parseCsv(await readFile(options.truthPath, "utf8"), options.truthPath);
    if (t.header[0] !== "id") throw new DataError(options.truthPath, 1, t.header[0], "the first column must be \"id\"", "write the true latents as id,<latent 1>,<latent 2>,…");
    const byId = new Map(t.rows.map((r) => [r[0]!, r.slice(1)]));
    const picked = ids.map((id, i) => {
      const row = byId.get(id);
      if (!row) throw new DataError(options.truthPath!, 0, "id", `no true latents for "${id}" (row ${i + 1} of the evaluation split)`, "give the truth for every person of the run");
      return row;
    });
    truth = toMatrix(picked, options.truthPath, 2);
    trueNames = t.header.slice(1);
  } else if (run.config.data.synthetic) {
    const s = run.config.data.synthetic;
    const data = generateCrlCase(s.case, s.seed, { nSamples: s.nSamples });
    const L = data.truth.latents.cols;
    const rows = ids.map((id) => Number(id));
    truth = { rows: rows.length, cols: L, data: new Float64Array(rows.length * L) };
    rows.forEach((r, i) => truth.data.set(data.truth.latents.data.subarray(r * L, (r + 1) * L), i * L));
    trueNames = data.truth.names;
    trueAdjacency = data.truth.adjacency;
  } else {
    throw new DataError(runPath, 0, undefined, "this run has no ground truth (it was trained on store embeddings)", "pass --truth <csv> with the true latents by id");
  }

  const match = mcc(truth, learned, { method: options.method ?? "pearson" });
  const rng = new Rng(options.seed ?? 0);
  const maxRows = options.maxRows ?? 2000;
  const ins = r2InSample(truth, learned, { maxRows, rng: rng.fork(1) });
  const held = r2HeldOut(truth, learned, { maxRows, rng: rng.fork(2) });
  return {
    rows: truth.rows,
    trueNames,
    learnedNames,
    mcc: match.mcc,
    pairs: match.rowInd.map((r, k) => ({ truth: trueNames[r]!, learned: learnedNames[match.colInd[k]!]!, absR: match.matchedAbsR[k]! })),
    r2InSample: ins.r2,
    r2HeldOut: held.r2,
    r2Rows: ins.rowsUsed,
    shd: trueAdjacency ? shd(trueAdjacency, alignToTruth(run.learnedAdjacency, match.rowInd, match.colInd, truth.cols)) : undefined,
  };
}

function parseCsv(text: string, file: string): { header: string[]; rows: string[][] } {
  const table = parseProjectCsv(text, file);
  if (!table.rows.length) throw new DataError(file, 2, undefined, "no data rows", "the file needs a header row and one row per person");
  return table;
}

function toMatrix(rows: string[][], file: string, firstColumn: number): Matrix {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => r.forEach((v, j) => {
    const x = Number(v);
    if (v === "" || !Number.isFinite(x)) throw new DataError(file, i + 2, `column ${firstColumn + j}`, `"${v}" is not a finite number`);
    data[i * cols + j] = x;
  }));
  return { rows: rows.length, cols, data };
}

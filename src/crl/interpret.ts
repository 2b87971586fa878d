/**
 * Automated interpretation of learned latents (beyond the paper, which names them by hand): every latent of
 * a CRL run is tested against every interpretable column of the store (biography, facial attributes, per-LLM
 * scores, final_*) with the Level I machinery (runLevel1: pairwise missing-value drop, Benjamini–Hochberg
 * over the whole latent × column matrix), each pair gets an effect size, and each latent is named by its
 * strongest significant features. The names label the latent graphs of the run.
 *
 * Effect size, in [0, 1]: for a column with few distinct values (binary attributes, categorical codes, trait
 * scores) the correlation ratio η = sqrt(between-group / total variance of the latent), which for a binary
 * column equals |point-biserial r|; otherwise |Spearman ρ|. The sign (Spearman) says the direction.
 *
 * Naming rule: a latent's name is its significant features by decreasing effect, at most one per trait
 * family (final_<t> and the per-LLM <llm>_<t> count once), `nameFeatures` of them. The rule reads the
 * latents as they are; it can only be as specific as the latents. When a training run has not separated them
 * (several learned latents carrying one direction), every one of them gets the name of that direction. So the
 * interpretation also measures the redundancy of the learned latents (latentRedundancy): the pairs that
 * correlate at |r| >= 0.9 and the effective number of latents, and warns when there are such pairs. On the
 * CelebPersona-size linked store (bench/crl-real-size.bench.ts) a run whose 15 modality latents had collapsed
 * onto about one direction (mean |r| 0.87 between them; effective number of latents 1.7 of 18) named 2 of 6
 * linked latents right, while the same rule on the true latents names 6 of 6; trained without the content term
 * that caused the collapse (examples/celebpersona/crl.json, contentCoef 0: mean |r| 0.27, 6.3 of 18) it names
 * 6 of 6.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DataError, UsageError } from "../errors.ts";
import { csvLine } from "../dataset/csv.ts";
import { readTable, type Table } from "../dataset/read-table.ts";
import type { NumericTable } from "../citest/table.ts";
import { runLevel1, type Level1Cell } from "../citest/level1.ts";
import { correlationMatrix } from "../citest/fisherz.ts";
import { fromColumns } from "../linalg/matrix.ts";
import { latentGraphDot } from "../report/latent-graph.ts";
import { renderDot } from "../report/graphviz.ts";
import { graphAdjacency } from "./run-config.ts";
import { spearman } from "../traits/spearman.ts";
import type { ProgressCallback } from "../util/progress.ts";

export interface InterpretOptions {
  /** Output folder of `personax crl train` (latents.csv, run.json). */
  runDir: string;
  /** The store the run was trained on (or any table with the same ids: CSV, Parquet, hf://). */
  store: string;
  /** Level I tests (registry names); the first one decides significance. Default rcit (linear in n). */
  tests?: string[];
  alpha?: number;
  /** Columns to test (default: every numeric column but id). */
  columns?: string[];
  /** Rows used: every person (default) or the run's evaluation split. */
  split?: "all" | "eval";
  /** Features named per latent (default 2; one per trait family). */
  nameFeatures?: number;
  seed?: number;
  onProgress?: ProgressCallback;
}

export interface LatentFeature {
  column: string;
  p: number | null;
  q: number | null;
  significant: boolean;
  effect: number;
  effectKind: "eta" | "spearman";
  /** Sign of Spearman's ρ (direction of the association). */
  sign: number;
}

export interface LatentInterpretation {
  latent: string;
  /** "shared" or the modality name. */
  group: string;
  /** The strongest significant features, one per trait family (empty: nothing significant). */
  features: LatentFeature[];
  /** e.g. "face_z2: Big_Nose (+0.71)". */
  label: string;
  /** Other learned latents correlated with this one at |r| >= LatentRedundancy.threshold (its name is not specific to it). */
  redundantWith: string[];
}

/** How far the learned latents are separate directions (Pearson correlations between them, on the rows used). */
export interface LatentRedundancy {
  /** |r| at or above which two latents count as carrying one direction (REDUNDANT_R). */
  threshold: number;
  /**
   * Participation ratio of the latents' correlation matrix C, (Σλ)² / Σλ² = L² / ‖C‖²_F: L when the L latents
   * are uncorrelated, 1 when they all carry one direction.
   */
  effectiveLatents: number;
  /** Mean |r| over the pairs of latents. */
  meanAbsR: number;
  /** Pairs with |r| >= threshold, strongest first. */
  pairs: Array<{ a: string; b: string; absR: number }>;
}

export interface Interpretation {
  runDir: string;
  rows: number;
  tests: string[];
  alpha: number;
  columns: string[];
  latents: LatentInterpretation[];
  redundancy: LatentRedundancy;
  /** What the reader should know before reading the names (e.g. redundant latents). */
  warnings: string[];
  /** Every latent × column pair, with the primary test's p/q and the effect size. */
  pairs: Array<{ latent: string; column: string } & LatentFeature>;
  files: string[];
}

/** Columns that move together: final_<t> and every <llm>_<t> belong to trait family "trait <t>". */
export function featureFamily(column: string): string {
  const m = /^[A-Za-z][A-Za-z0-9.\-]*_([oceanOCEAN])$/.exec(column);
  return m ? `trait ${m[1]!.toLowerCase()}` : column;
}

export async function interpretCrlRun(options: InterpretOptions): Promise<Interpretation> {
  const tests = options.tests?.length ? options.tests : ["rcit"];
  const alpha = options.alpha ?? 0.05;
  const { ids, split, latentNames, latents } = await readRunLatents(options.runDir);
  const table = await readTable(options.store, {});
  const idColumn = table.columns["id"];
  if (!idColumn) throw new DataError(options.store, 1, "id", "the table has no id column", "interpret against the store the run was trained on");
  const rowOf = new Map((Array.isArray(idColumn) ? idColumn : Array.from(idColumn, String)).map((id, i) => [id, i]));
  const keep = ids.map((id, i) => ({ id, i })).filter(({ id, i }) => rowOf.has(id) && (options.split !== "eval" || split[i] === "eval"));
  if (keep.length < 20) {
    throw new DataError(options.store, 0, "id", `only ${keep.length} persons of the run are in this table`, "pass the store the run was trained on (--store)");
  }
  const columns = options.columns ?? interpretableColumns(table, keep.map(({ id }) => rowOf.get(id)!));
  for (const c of columns) {
    if (!(table.columns[c] instanceof Float64Array)) throw new UsageError(`no numeric column "${c}" in ${options.store}`, `use numeric columns of: ${table.names.join(", ")}`);
  }
  if (!columns.length) throw new DataError(options.store, 0, undefined, "no interpretable (numeric, non-constant) column", "import the persons' table into the store");

  const data: NumericTable = { source: `${options.runDir} + ${options.store}`, names: [...latentNames, ...columns], columns: new Map(), rows: keep.length };
  latentNames.forEach((name, j) => data.columns.set(name, Float64Array.from(keep, ({ i }) => latents[i]![j]!)));
  for (const c of columns) {
    const source = table.columns[c] as Float64Array;
    data.columns.set(c, Float64Array.from(keep, ({ id }) => source[rowOf.get(id)!]!));
  }
  const level1 = await runLevel1({ data, rows: latentNames, cols: columns, tests, alpha, correct: "bh", seed: options.seed ?? 0, onProgress: options.onProgress });
  const primary = level1.tests[0]!;
  const cellOf = new Map(primary.cells.map((c: Level1Cell) => [`${c.row}\u0000${c.col}`, c]));
  const pairs: Interpretation["pairs"] = [];
  const interpretations: LatentInterpretation[] = latentNames.map((latent) => {
    const x = data.columns.get(latent)!;
    const features = columns.map((column): LatentFeature => {
      const cell = cellOf.get(`${latent}\u0000${column}`)!;
      const y = data.columns.get(column)!;
      const { effect, kind, sign } = effectSize(x, y);
      const f = { column, p: cell.p, q: cell.q, significant: cell.reject === true, effect, effectKind: kind, sign };
      pairs.push({ latent, ...f });
      return f;
    });
    const named: LatentFeature[] = [];
    const families = new Set<string>();
    for (const f of features.filter((f) => f.significant).sort((a, b) => b.effect - a.effect)) {
      if (families.has(featureFamily(f.column))) continue;
      families.add(featureFamily(f.column));
      named.push(f);
      if (named.length >= (options.nameFeatures ?? 2)) break;
    }
    const label = `${latent}: ${named.length ? named.map(describeFeature).join(", ") : "no significant feature"}`;
    return { latent, group: groupOf(latent), features: named, label, redundantWith: [] };
  });
  const redundancy = latentRedundancy(latentNames.map((name) => data.columns.get(name)!), latentNames);
  for (const { a, b } of redundancy.pairs) {
    interpretations[latentNames.indexOf(a)]!.redundantWith.push(b);
    interpretations[latentNames.indexOf(b)]!.redundantWith.push(a);
  }
  const warnings = redundancy.pairs.length ? [redundancyWarning(redundancy, latentNames.length)] : [];
  const result: Interpretation = { runDir: options.runDir, rows: keep.length, tests, alpha, columns, latents: interpretations, redundancy, warnings, pairs, files: [] };
  result.files = await writeInterpretation(options.runDir, result, latentNames);
  return result;
}

function describeFeature(f: LatentFeature): string {
  return `${f.column} (${f.sign < 0 ? "−" : "+"}${f.effect.toFixed(2)})`;
}

const groupOf = (latent: string) => (/^S\d+$/.test(latent) ? "shared" : latent.replace(/_z\d+$/, ""));

/** Numeric columns except id, non-constant on the given rows. */
function interpretableColumns(table: Table, rows: number[]): string[] {
  return table.names.filter((name) => {
    const c = table.columns[name];
    if (name === "id" || !(c instanceof Float64Array)) return false;
    let first = NaN;
    for (const r of rows) {
      const v = c[r]!;
      if (Number.isNaN(v)) continue;
      if (Number.isNaN(first)) first = v;
      else if (v !== first) return true;
    }
    return false;
  });
}

const FEW_VALUES = 16;
/** Two learned latents with |r| at or above this carry one direction (their names cannot tell them apart). */
export const REDUNDANT_R = 0.9;

/** Pearson correlations between the latents (columns of equal length, no NaN): the redundancy summary. */
export function latentRedundancy(latents: Float64Array[], names: string[]): LatentRedundancy {
  const L = latents.length;
  // A constant (dead) latent has no correlation with anything, itself included: its NaNs count as 0.
  const corr = correlationMatrix(fromColumns(latents));
  const r = (i: number, j: number) => (Number.isNaN(corr[i * L + j]!) ? 0 : corr[i * L + j]!);
  let frobenius = 0, sumAbs = 0;
  const pairs: LatentRedundancy["pairs"] = [];
  for (let i = 0; i < L; i++) {
    frobenius += r(i, i) ** 2;
    for (let j = i + 1; j < L; j++) {
      const rij = r(i, j);
      frobenius += 2 * rij * rij;
      sumAbs += Math.abs(rij);
      if (Math.abs(rij) >= REDUNDANT_R) pairs.push({ a: names[i]!, b: names[j]!, absR: Math.abs(rij) });
    }
  }
  pairs.sort((p, q) => q.absR - p.absR);
  return {
    threshold: REDUNDANT_R,
    effectiveLatents: frobenius > 0 ? (L * L) / frobenius : 0,
    meanAbsR: L > 1 ? sumAbs / ((L * (L - 1)) / 2) : 0,
    pairs,
  };
}

function redundancyWarning(r: LatentRedundancy, L: number): string {
  const involved = new Set(r.pairs.flatMap((p) => [p.a, p.b]));
  return `${involved.size} of ${L} learned latents carry overlapping directions (${r.pairs.length} pairs at |r| >= ${r.threshold}, ` +
    `e.g. ${r.pairs[0]!.a} ~ ${r.pairs[0]!.b} at ${r.pairs[0]!.absR.toFixed(2)}; effective number of latents ${r.effectiveLatents.toFixed(1)} of ${L}): ` +
    "their names describe that shared direction, not separate latents; the run has not separated them (train longer or retune the model)";
}

/** η for columns with at most FEW_VALUES distinct values, else |Spearman ρ|; pairs with a NaN dropped. */
export function effectSize(latent: Float64Array, column: Float64Array): { effect: number; kind: "eta" | "spearman"; sign: number } {
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < latent.length; i++) {
    if (Number.isNaN(latent[i]!) || Number.isNaN(column[i]!)) continue;
    xs.push(latent[i]!); ys.push(column[i]!);
  }
  const rho = spearman(xs, ys).rho || 0; // NaN (a constant side) counts as no association
  const sign = rho < 0 ? -1 : 1;
  const distinct = new Set(ys);
  if (distinct.size > FEW_VALUES) return { effect: Math.abs(rho), kind: "spearman", sign };
  const groups = new Map<number, { n: number; sum: number }>();
  let total = 0;
  xs.forEach((x, i) => { const g = groups.get(ys[i]!) ?? { n: 0, sum: 0 }; g.n++; g.sum += x; groups.set(ys[i]!, g); total += x; });
  const mean = total / xs.length;
  let ssTotal = 0, ssBetween = 0;
  for (const x of xs) ssTotal += (x - mean) ** 2;
  for (const g of groups.values()) ssBetween += g.n * (g.sum / g.n - mean) ** 2;
  return { effect: ssTotal > 0 ? Math.sqrt(ssBetween / ssTotal) : 0, kind: "eta", sign };
}

interface RunLatents { ids: string[]; split: string[]; latentNames: string[]; latents: number[][] }

async function readRunLatents(runDir: string): Promise<RunLatents> {
  const path = join(runDir, "latents.csv");
  let table: Table;
  try {
    table = await readTable(path, { text: true });
  } catch {
    throw new DataError(path, 0, undefined, "cannot read the run's latents", "pass the output folder of 'personax crl train' (--run DIR)");
  }
  const [idName, splitName, ...latentNames] = table.names;
  if (idName !== "id" || splitName !== "split" || !latentNames.length) {
    throw new DataError(path, 1, idName, "expected the columns id, split, <latents>", "pass the output folder of 'personax crl train'");
  }
  const text = (name: string) => table.columns[name] as string[];
  const latents = Array.from({ length: table.nRows }, (_, i) => latentNames.map((n) => Number(text(n)[i])));
  return { ids: text("id"), split: text("split"), latentNames, latents };
}

interface RunRecord {
  summary?: { latentNames?: string[] };
  config?: { data?: { modalities?: Array<{ name: string }> } };
  learnedAdjacency?: number[][];
}

/** interpretation.json/.csv and the latent graphs with the names: interpret-learned.dot/.svg (and -pc for PC's graph). */
async function writeInterpretation(runDir: string, result: Interpretation, latentNames: string[]): Promise<string[]> {
  const files: string[] = [];
  const write = async (name: string, content: string) => { await writeFile(join(runDir, name), content); files.push(join(runDir, name)); };
  await write("interpretation.json", JSON.stringify({ ...result, files: undefined }, null, 2) + "\n");
  const csv = ["latent,column,p,q,significant,effect,effect_kind,sign"];
  for (const p of result.pairs) csv.push(csvLine([p.latent, p.column, p.p ?? "", p.q ?? "", p.significant, p.effect.toFixed(4), p.effectKind, p.sign].map(String)));
  await write("interpretation.csv", csv.join("\n") + "\n");

  const run = JSON.parse(await readFile(join(runDir, "run.json"), "utf8").catch(() => "{}")) as RunRecord;
  const groups = [...new Set(result.latents.map((l) => l.group).filter((g) => g !== "shared"))];
  const modalityNames = run.config?.data?.modalities?.map((m) => m.name) ?? groups;
  const owner = result.latents.map((l) => (l.group === "shared" ? -1 : modalityNames.indexOf(l.group)));
  const names = result.latents.map((l) => l.label);
  const graphs: Array<[string, number[][] | undefined, string]> = [["learned", run.learnedAdjacency, "learned adjacency A, latents named by their strongest features"]];
  const pcJson = await readFile(join(runDir, "pc-graph.json"), "utf8").catch(() => undefined);
  if (pcJson) {
    const pc = JSON.parse(pcJson) as { edges: Array<{ from: string; to: string; atFrom: string; atTo: string }> };
    const idx = (n: string) => latentNames.indexOf(n);
    const edges = pc.edges.filter((e) => idx(e.from) >= 0 && idx(e.to) >= 0).map((e) => ({ a: idx(e.from), b: idx(e.to), atA: e.atFrom, atB: e.atTo }));
    graphs.push(["pc", graphAdjacency(edges, latentNames.length), "PC on the evaluation split's latents, latents named by their strongest features"]);
  }
  for (const [kind, adjacency, title] of graphs) {
    if (!adjacency || adjacency.length !== names.length) continue;
    const dot = latentGraphDot({ names, adjacency, owner, modalityNames, title });
    await write(`interpret-${kind}.dot`, dot + "\n");
    await write(`interpret-${kind}.svg`, await renderDot(dot));
  }
  return files;
}

/** How well the names match known latent → column links (synthetic data): the learned latent matched to each linked true latent must be named by the linked column (or its trait family). */
export interface InterpretationScore {
  linked: number;
  correct: number;
  fraction: number;
  details: Array<{ truth: string; column: string; learned: string; absR: number; named: string[]; correct: boolean }>;
}

export function scoreInterpretation(interpretation: Interpretation, matches: Array<{ truth: string; learned: string; absR: number }>,
  links: Array<{ latent: string; column: string }>): InterpretationScore {
  const details = links.map((link) => {
    const match = matches.find((m) => m.truth === link.latent);
    const latent = match ? interpretation.latents.find((l) => l.latent === match.learned) : undefined;
    const top = latent?.features[0];
    return {
      truth: link.latent, column: link.column, learned: match?.learned ?? "", absR: match?.absR ?? 0,
      named: latent?.features.map((f) => f.column) ?? [],
      correct: Boolean(top && featureFamily(top.column) === featureFamily(link.column)),
    };
  });
  const correct = details.filter((d) => d.correct).length;
  return { linked: links.length, correct, fraction: links.length ? correct / links.length : Number.NaN, details };
}

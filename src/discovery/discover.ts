import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readTable } from "../dataset/read-table.ts";
import type { Flavour } from "../dataset/schema.ts";
import { UsageError } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";
import { numericMatrixFrom } from "../citest/table.ts";
import { writeManifest } from "../report/manifest.ts";
import { svgToPng } from "../report/png.ts";
import { Rng } from "../util/rng.ts";
import { bootstrapPc, summarizeBootstrap, type BootstrapResult, type EdgeType } from "./bootstrap.ts";
import { dropMissingRows, prepareRegistryTest } from "./ci-tests.ts";
import { renderGraphSvg, toDot } from "../report/graph-dot.ts";
import { edgesJson, matrixCsv, pcResultToJson } from "./export.ts";
import { knowledgeFromSpec, type KnowledgeSpec } from "./knowledge.ts";
import type { UcPriority, UcRule } from "./pc/colliders.ts";
import type { PcResult } from "./pc/pc.ts";
import { runPc, runPcParallel } from "./run-pc.ts";
import type { ProgressCallback } from "../util/progress.ts";

export interface DiscoverPcOptions {
  /** CSV, Parquet or PersonaX store (.duckdb). */
  data: string;
  /** Columns to use, in order (default: every numeric column). */
  columns?: string[];
  /** For a store holding both datasets: which one. */
  flavour?: Flavour;
  test: string;
  alpha: number;
  depth?: number;
  knowledge?: KnowledgeSpec;
  ucRule?: UcRule;
  /** 0..4, or −1 for causal-learn's default of the rule (see PcCoreOptions.ucPriority). */
  ucPriority?: UcPriority | -1;
  /** Reproduce causal-learn exactly (see PcCoreOptions.faithful). */
  faithful?: boolean;
  /** Bootstrap replicates (0 = none). */
  bootstrap?: number;
  seed?: number;
  /** Worker threads for the CI tests (1 = sequential). */
  threads?: number;
  /** Output folder. */
  out: string;
  /**
   * Runs the bootstrap replicates somewhere else (e.g. on queue workers, src/scale/pc-bootstrap-queue.ts);
   * returns each replicate's edge types (bootstrapReplicate's layout), in replicate order.
   */
  runReplicates?: (job: BootstrapReplicatesJob) => Promise<EdgeType[][]>;
  /** Progress of the PC run (distinct tests per depth, note "PC depth d tests") and then of the bootstrap replicates. */
  onProgress?: ProgressCallback;
}

/** Everything a bootstrap replicate depends on (plain data, so it can travel to other processes). */
export interface BootstrapReplicatesJob {
  /** The complete rows of the data (rows with a missing value dropped), one column per node. */
  data: Matrix;
  nodes: string[];
  test: string;
  knowledge?: KnowledgeSpec;
  alpha: number;
  depth?: number;
  ucRule?: UcRule;
  ucPriority?: UcPriority | -1;
  faithful?: boolean;
  seed: number;
  replicates: number;
  onProgress?: ProgressCallback;
}

export interface DiscoverPcSummary {
  out: string;
  files: string[];
  nodes: string[];
  rowsUsed: number;
  rowsDropped: number;
  edges: string[];
  ciCalls: number;
  uniqueTests: number;
  seconds: number;
  bootstrap?: { replicates: number; consensusEdges: string[] };
}

/** Reads the chosen numeric columns of a table into a matrix (missing values stay NaN). */
export async function readNumericColumns(source: string, columns?: string[], flavour?: Flavour): Promise<{ names: string[]; data: Matrix }> {
  const repeated = columns?.find((c, i) => columns.indexOf(c) !== i);
  if (repeated) throw new UsageError(`column "${repeated}" is listed twice`, "name each column once in --cols");
  const table = await readTable(source, { ...(columns && columns.length ? { columns } : {}), flavour });
  const { names, data } = numericMatrixFrom(table, source, columns && columns.length ? columns : undefined);
  if (names.length < 2) throw new UsageError(`PC needs at least two numeric columns; ${source} gives ${names.length}`, "pass --cols with two or more numeric columns");
  return { names, data };
}

/**
 * `personax discover pc`: reads the data, runs PC-stable (optionally with bootstrap), and writes
 * graph.json (the stable contract, see export.ts), graph.dot, graph.svg, graph.png, matrix.csv and
 * summary.md to `out`; with bootstrap also bootstrap.json and consensus.{dot,svg,png}; and the run manifest.
 */
export async function discoverPc(options: DiscoverPcOptions): Promise<DiscoverPcSummary> {
  const started = new Date();
  const { names, data } = await readNumericColumns(options.data, options.columns, options.flavour);
  const knowledge = options.knowledge ? knowledgeFromSpec(names, options.knowledge) : undefined;
  const common = { test: options.test, alpha: options.alpha, depth: options.depth, knowledge, nodeNames: names, ucRule: options.ucRule, ucPriority: options.ucPriority,
    faithful: options.faithful, onProgress: options.onProgress && ((done: number, total: number, note?: string) => options.onProgress!(done, total, `PC ${note ?? ""} tests`)) };
  const threads = options.threads ?? 1;
  const result: PcResult & { rowsUsed: number; rowsDropped: number } = threads > 1 ? await runPcParallel(data, { ...common, threads }) : runPc(data, common);
  await mkdir(options.out, { recursive: true });
  const files: string[] = [];
  const write = async (name: string, content: string | Uint8Array) => {
    await writeFile(join(options.out, name), content);
    files.push(name);
  };
  const json = pcResultToJson(result, { test: options.test, alpha: options.alpha, depth: options.depth, knowledge, rows: result.rowsUsed, faithful: options.faithful });
  let boot: BootstrapResult | undefined;
  const bootStarted = performance.now();
  if (options.bootstrap && options.bootstrap > 0) {
    const clean = dropMissingRows(data).data;
    const onProgress = options.onProgress && ((done: number, total: number) => options.onProgress!(done, total, "bootstrap replicates"));
    boot = options.runReplicates
      ? summarizeBootstrap(names, await options.runReplicates({ data: clean, nodes: names, test: options.test, knowledge: options.knowledge, alpha: options.alpha,
        depth: options.depth, ucRule: options.ucRule, ucPriority: options.ucPriority, faithful: options.faithful, seed: options.seed ?? 0, replicates: options.bootstrap, onProgress }))
      : bootstrapPc(clean, names, (d) => prepareRegistryTest(options.test, d, undefined, names), {
        alpha: options.alpha, depth: options.depth, knowledge, ucRule: options.ucRule, ucPriority: options.ucPriority, faithful: options.faithful,
        replicates: options.bootstrap, rng: new Rng(options.seed ?? 0), onProgress,
      });
    json.bootstrap = { replicates: boot.replicates, seed: options.seed ?? 0, pairs: boot.pairs.filter((p) => p.frequency.none < 1), consensus: { matrix: boot.consensus.toCausalLearn(), edges: edgesJson(boot.consensus) } };
  }
  await write("graph.json", JSON.stringify(json, null, 2) + "\n");
  const labels = boot ? new Map(edgesJson(result.graph).map((e) => [`${e.from}|${e.to}`, frequencyLabel(boot!, e.from, e.to)])) : undefined;
  const dot = toDot(result.graph, { title: `PC (${options.test}, alpha = ${options.alpha})`, edgeLabels: labels });
  await write("graph.dot", dot);
  const svg = await renderGraphSvg(result.graph, { title: `PC (${options.test}, alpha = ${options.alpha})`, edgeLabels: labels });
  await write("graph.svg", svg);
  await write("graph.png", svgToPng(svg));
  await write("matrix.csv", matrixCsv(result.graph));
  if (boot) {
    await write("bootstrap.json", JSON.stringify({ replicates: boot.replicates, seed: options.seed ?? 0, pairs: boot.pairs }, null, 2) + "\n");
    const consensusSvg = await renderGraphSvg(boot.consensus, { title: `Bootstrap consensus (${boot.replicates} replicates)` });
    await write("consensus.dot", toDot(boot.consensus));
    await write("consensus.svg", consensusSvg);
    await write("consensus.png", svgToPng(consensusSvg));
  }
  const summary: DiscoverPcSummary = {
    out: options.out, files: [...files, "summary.md"], nodes: names, rowsUsed: result.rowsUsed, rowsDropped: result.rowsDropped,
    edges: result.graph.edgeStrings(), ciCalls: result.tests.length, uniqueTests: result.uniqueTests, seconds: result.seconds,
    bootstrap: boot ? { replicates: boot.replicates, consensusEdges: boot.consensus.edgeStrings() } : undefined,
  };
  await write("summary.md", summaryMarkdown(summary, options));
  await writeManifest(options.out, {
    kind: "discover-pc", command: "personax discover pc", seed: options.seed ?? 0, started, files,
    params: { data: options.data, columns: names, flavour: options.flavour ?? null, test: options.test, alpha: options.alpha, depth: options.depth ?? null,
      knowledge: options.knowledge ?? null, ucRule: options.ucRule ?? 0, ucPriority: options.ucPriority ?? 2, faithful: options.faithful ?? false,
      bootstrap: options.bootstrap ?? 0, threads: options.threads ?? 1 },
    timings: { pc: result.seconds, ...(boot ? { bootstrap: (performance.now() - bootStarted) / 1000 } : {}) },
  });
  return summary;
}

/** The fraction of bootstrap replicates that keep this adjacency, e.g. "0.82". */
function frequencyLabel(boot: BootstrapResult, from: string, to: string): string {
  const pair = boot.pairs.find((p) => (p.a === from && p.b === to) || (p.a === to && p.b === from));
  if (!pair) return "";
  const adjacency = 1 - pair.frequency.none;
  return `${adjacency.toFixed(2)}`;
}

export function summaryMarkdown(s: DiscoverPcSummary, o: DiscoverPcOptions): string {
  const lines = [
    `# PC-stable on ${o.data}`, "",
    `- test: ${o.test}, alpha: ${o.alpha}, depth: ${o.depth ?? "unlimited"}, collider rule ${o.ucRule ?? 0} / priority ${o.ucPriority ?? 2}`,
    `- variables (${s.nodes.length}): ${s.nodes.join(", ")}`,
    `- rows used: ${s.rowsUsed} (${s.rowsDropped} with missing values dropped)`,
    `- CI calls: ${s.ciCalls} (${s.uniqueTests} distinct tests), ${s.seconds.toFixed(2)} s`,
    o.knowledge ? `- knowledge: ${JSON.stringify(o.knowledge)}` : "- knowledge: none",
    "", `## Edges (${s.edges.length})`, "", ...s.edges.map((e) => `- ${e}`),
  ];
  if (s.bootstrap) lines.push("", `## Bootstrap consensus (${s.bootstrap.replicates} replicates, seed ${o.seed ?? 0})`, "", ...s.bootstrap.consensusEdges.map((e) => `- ${e}`));
  return lines.join("\n") + "\n";
}

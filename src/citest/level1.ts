/**
 * Level I: every trait score against every feature, for several CI tests, with pairwise missing-value
 * drop (the reference notebooks' `df[[row, col]].dropna()`), Benjamini–Hochberg q-values, a per-test
 * summary and agreement between tests. Expensive tests (kernel tests on continuous columns) run their
 * cells on worker threads (level1-pool.ts); everything else runs in the calling thread.
 */
import { PersonaxError, UsageError } from "../errors.ts";
import { csvField } from "../dataset/csv.ts";
import { benjaminiHochberg } from "../stats/benjamini-hochberg.ts";
import { getCiTest } from "./registry.ts";
import { completeRows, isColumnTable, numericTableFrom, type ColumnTable, type NumericTable } from "./table.ts";
import { distinctCounts, kernelCellCost, runCellsOnWorkers } from "./level1-pool.ts";
import { Level1Columns } from "./level1-fast.ts";
import type { ProgressCallback } from "../util/progress.ts";

export interface Level1Options {
  /** The table: a readTable() result, or a NumericTable (named Float64Array columns). */
  data: NumericTable | ColumnTable;
  /** Names the table in error messages when it is a readTable() result (default "table"). */
  source?: string;
  /** Trait columns, e.g. final_o … final_n. */
  rows: string[];
  /** Feature columns. */
  cols: string[];
  tests: string[];
  /** Also test each LLM's own score columns (<llm>_<trait> next to final_<trait>), grouped per LLM. */
  perLlm?: boolean;
  alpha?: number;
  correct?: "bh" | "none";
  /** Base seed of RCIT's random features; cell k uses seed + k (as the reference seeds each cell). */
  seed?: number;
  /** Worker threads for kernel-test cells (0 = this thread). Default: 2 when the kernel work is large enough to pay for starting them. */
  workers?: number;
  onProgress?: ProgressCallback;
  /**
   * Runs the cells somewhere else (e.g. on queue workers, src/scale/level1-queue.ts) instead of this
   * process's threads; `onOutcome` takes each cell's outcome (with the task's index) as it arrives.
   */
  runCells?: (data: NumericTable, tasks: CellTask[], onOutcome: (o: CellOutcome) => void) => Promise<void>;
}

export interface Level1Cell {
  row: string;
  col: string;
  /** The trait (e.g. "o") and the score group ("final" or an LLM name). */
  trait: string;
  group: string;
  n: number;
  statistic: number | null;
  p: number | null;
  q: number | null;
  reject: boolean | null;
  dof?: number;
  /** Why this cell has no p-value (constant column, too few rows, …). */
  error?: string;
}

export interface Level1TestResult {
  test: string;
  alpha: number;
  correct: "bh" | "none";
  rows: string[];
  cols: string[];
  cells: Level1Cell[];
  seconds: number;
}

export interface Level1Result {
  tests: Level1TestResult[];
  /** Pairs rejected per test, and pairwise agreement (same decision) between tests on cells both ran. */
  summary: {
    significant: Array<{ test: string; rejected: number; tested: number; errors: number; pairs: string[] }>;
    agreement: Array<{ a: string; b: string; cells: number; agree: number; fraction: number }>;
  };
}

/** A unit of work: one (test, row, col) cell. Plain data so it can cross to a worker. */
export interface CellTask {
  index: number;
  test: string;
  row: string;
  col: string;
  seed: number;
}

export interface CellOutcome {
  index: number;
  n: number;
  statistic: number | null;
  p: number | null;
  dof?: number;
  error?: string;
  seconds: number;
}

/**
 * Runs one cell in this thread; errors become an `error` string, never a crash. With `columns` (shared by
 * the cells of one run) the cheap tests read per-column codes computed once (level1-fast.ts).
 */
export function runCell(table: NumericTable, task: CellTask, columns?: Level1Columns): CellOutcome {
  const started = performance.now();
  let n = 0;
  try {
    const test = getCiTest(task.test);
    const fast = columns ? test.level1Cell?.(columns, task.row, task.col) : undefined;
    if (fast) return { index: task.index, n: fast.n, statistic: fast.statistic, p: fast.pValue, dof: fast.dof, seconds: (performance.now() - started) / 1000 };
    const data = completeRows(table, [task.row, task.col]);
    n = data.rows;
    const options = test.randomized ? { seed: task.seed } : {};
    const r = test.prepare(data, options, { columnNames: [task.row, task.col] })(0, 1, []);
    return { index: task.index, n: r.n, statistic: r.statistic, p: r.pValue, dof: r.dof, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    if (!(error instanceof PersonaxError)) throw error;
    return { index: task.index, n, statistic: null, p: null, error: error.message, seconds: (performance.now() - started) / 1000 };
  }
}

/** Row columns to test: the given traits, plus <llm>_<trait> columns when perLlm. */
export function expandRows(table: NumericTable, rows: string[], perLlm: boolean): Array<{ row: string; trait: string; group: string }> {
  const out: Array<{ row: string; trait: string; group: string }> = [];
  const llms = perLlm ? detectLlmPrefixes(table, rows) : [];
  for (const group of ["final", ...llms]) {
    for (const row of rows) {
      const trait = row.startsWith("final_") ? row.slice("final_".length) : row;
      const name = group === "final" ? row : `${group}_${trait}`;
      if (group !== "final" && !table.columns.has(name)) continue;
      out.push({ row: name, trait, group });
    }
  }
  return out;
}

/** LLM prefixes p such that p_<trait> exists for every final_<trait> row (e.g. gpt, gemini, llama). */
export function detectLlmPrefixes(table: NumericTable, rows: string[]): string[] {
  const traits = rows.filter((r) => r.startsWith("final_")).map((r) => r.slice("final_".length));
  if (!traits.length) return [];
  const prefixes = new Set<string>();
  for (const name of table.names) {
    const m = /^(.+)_([^_]+)$/.exec(name);
    if (m && m[1] !== "final" && traits.includes(m[2]!)) prefixes.add(m[1]!);
  }
  return [...prefixes].filter((p) => traits.every((t) => table.columns.has(`${p}_${t}`)));
}

/** Kernel tests are the expensive ones: O(m²) in the number of distinct (row, col) value pairs. */
function isExpensive(test: string): boolean {
  return getCiTest(test).cost === "kernel";
}

export async function runLevel1(input: Level1Options): Promise<Level1Result> {
  const data = isColumnTable(input.data)
    ? numericTableFrom(input.data, input.source ?? "table", [...input.rows, ...input.cols])
    : input.data;
  const options = { ...input, data };
  const alpha = options.alpha ?? 0.05;
  const correct = options.correct ?? "bh";
  const seed = options.seed ?? 0;
  if (!(alpha > 0 && alpha < 1)) throw new UsageError(`alpha must be in (0, 1), got ${alpha}`);
  for (const t of options.tests) getCiTest(t); // an unknown name is a UsageError listing the valid ones
  for (const name of [...options.rows, ...options.cols]) {
    if (!options.data.columns.has(name)) {
      throw new UsageError(`no column "${name}" in ${options.data.source}`, `available: ${options.data.names.join(", ")}`);
    }
  }
  const rowSpecs = expandRows(options.data, options.rows, options.perLlm ?? false);
  const tasks: CellTask[] = [];
  for (const test of options.tests) {
    rowSpecs.forEach((r, ri) => options.cols.forEach((col, ci) => {
      tasks.push({ index: tasks.length, test, row: r.row, col, seed: seed + ri * options.cols.length + ci });
    }));
  }
  const outcomes: CellOutcome[] = new Array(tasks.length);
  const total = tasks.length;
  let done = 0;
  const report = (note?: string) => options.onProgress?.(done, total, note);
  if (options.runCells) await options.runCells(options.data, tasks, (o) => { outcomes[o.index] = o; done++; report(); });
  else await runCellsHere(options, tasks, outcomes, () => { done++; report(); });
  const results: Level1TestResult[] = options.tests.map((test) => {
    const mine = tasks.filter((t) => t.test === test);
    const ps = mine.map((t) => outcomes[t.index]!.p ?? Number.NaN);
    const qs = correct === "bh" ? benjaminiHochberg(ps) : Float64Array.from(ps);
    const cells: Level1Cell[] = mine.map((t, k) => {
      const o = outcomes[t.index]!;
      const spec = rowSpecs.find((r) => r.row === t.row)!;
      const q = Number.isNaN(qs[k]!) ? null : qs[k]!;
      const cell: Level1Cell = {
        row: t.row, col: t.col, trait: spec.trait, group: spec.group, n: o.n, statistic: o.statistic, p: o.p, q,
        reject: q === null ? null : q < alpha,
      };
      if (o.dof !== undefined) cell.dof = o.dof;
      if (o.error) cell.error = o.error;
      return cell;
    });
    return { test, alpha, correct, rows: rowSpecs.map((r) => r.row), cols: options.cols, cells, seconds: mine.reduce((s, t) => s + outcomes[t.index]!.seconds, 0) };
  });
  return { tests: results, summary: summarize(results) };
}

function summarize(results: Level1TestResult[]): Level1Result["summary"] {
  const significant = results.map((r) => ({
    test: r.test,
    rejected: r.cells.filter((c) => c.reject).length,
    tested: r.cells.filter((c) => c.reject !== null).length,
    errors: r.cells.filter((c) => c.error).length,
    pairs: r.cells.filter((c) => c.reject).map((c) => `${c.row} ~ ${c.col}`),
  }));
  const agreement: Level1Result["summary"]["agreement"] = [];
  for (let i = 0; i < results.length; i++) {
    for (let j = i + 1; j < results.length; j++) {
      const a = results[i]!, b = results[j]!;
      const bByKey = new Map(b.cells.map((c) => [`${c.row}\u0000${c.col}`, c]));
      let cells = 0, agree = 0;
      for (const ca of a.cells) {
        const cb = bByKey.get(`${ca.row}\u0000${ca.col}`);
        if (!cb || ca.reject === null || cb.reject === null) continue;
        cells++;
        if (ca.reject === cb.reject) agree++;
      }
      agreement.push({ a: a.test, b: b.test, cells, agree, fraction: cells ? agree / cells : Number.NaN });
    }
  }
  return { significant, agreement };
}

/** The reference notebooks' matrix CSV: row labels in the first column, blank corner, p-values. */
export function matrixCsv(result: Level1TestResult): string {
  const byKey = new Map(result.cells.map((c) => [`${c.row}\u0000${c.col}`, c]));
  const lines = ["," + result.cols.map((c) => csvField(c)).join(",")];
  for (const row of result.rows) {
    lines.push([csvField(row), ...result.cols.map((col) => {
      const p = byKey.get(`${row}\u0000${col}`)?.p;
      return p === null || p === undefined ? "" : String(p);
    })].join(","));
  }
  return lines.join("\n") + "\n";
}

/** The stable JSON contract: { test, alpha, cells: [{ row, col, n, statistic, p, q, reject }] } (+ extras). */
export function matrixJson(result: Level1TestResult): Record<string, unknown> {
  return {
    test: result.test,
    alpha: result.alpha,
    correct: result.correct,
    cells: result.cells.map((c) => ({
      row: c.row, col: c.col, n: c.n, statistic: c.statistic, p: c.p, q: c.q, reject: c.reject,
      trait: c.trait, group: c.group, ...(c.dof !== undefined ? { dof: c.dof } : {}), ...(c.error ? { error: c.error } : {}),
    })),
  };
}

/** Kernel-test cells on worker threads when the work is large enough, everything else in this thread. */
async function runCellsHere(options: Level1Options & { data: NumericTable }, tasks: CellTask[], outcomes: CellOutcome[], onDone: () => void): Promise<void> {
  const heavy = tasks.filter((t) => isExpensive(t.test));
  const light = tasks.filter((t) => !isExpensive(t.test));
  // A worker costs ~0.5 s of CPU to start (it loads the modules again); with the WebAssembly pair loop a
  // cost unit is ~2e-10 s, so workers pay off from about 8e9 units (≈ 1.5 s of single-thread work).
  const distinct = heavy.length ? distinctCounts(options.data, [...new Set(heavy.flatMap((t) => [t.row, t.col]))]) : new Map();
  const heavyCost = heavy.reduce((sum, t) => sum + kernelCellCost(distinct, t), 0);
  const workers = options.workers ?? (heavyCost >= 8e9 ? 2 : 0);
  const heavyPromise = heavy.length && workers > 0
    ? runCellsOnWorkers(options.data, heavy, workers, (o) => { outcomes[o.index] = o; onDone(); })
    : Promise.resolve();
  const inline = workers > 0 ? light : [...light, ...heavy];
  const columns = new Level1Columns(options.data);
  let inlineDone = 0;
  for (const task of inline) {
    outcomes[task.index] = runCell(options.data, task, columns);
    onDone();
    if (workers > 0 && ++inlineDone % 8 === 0) await new Promise((r) => setImmediate(r)); // let worker messages through
  }
  await heavyPromise;
}

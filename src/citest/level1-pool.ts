/**
 * Runs Level I cells on worker threads (both cores). Each worker gets the needed columns once, then
 * pulls cells one at a time; the most expensive cells (most distinct value pairs) are handed out first.
 */
import { startWorker } from "../util/worker-entry.ts";
import { cpus } from "node:os";
import type { CellOutcome, CellTask } from "./level1.ts";
import type { NumericTable } from "./table.ts";

/** Distinct non-missing values per column. */
export function distinctCounts(table: NumericTable, names: readonly string[]): Map<string, number> {
  return new Map(names.map((name) => {
    const seen = new Set<number>();
    for (const v of table.columns.get(name)!) if (!Number.isNaN(v)) seen.add(v);
    return [name, seen.size];
  }));
}

/** Rough operation count of a kernel-test cell, following the paths of kernel-sums.ts. */
export function kernelCellCost(distinct: Map<string, number>, task: { row: string; col: string }): number {
  const a = distinct.get(task.row)!, b = distinct.get(task.col)!;
  const small = Math.min(a, b), large = Math.max(a, b);
  // Both tabulated: table products (~a²·b) or, when cheaper, the pair loop over ≥ `large` distinct pairs.
  if (large <= 1200) return Math.min(a * b * (a + b), 10 * large * large);
  if (small <= 256) return 20 * large * large; // one pass with exp per pair of distinct values
  return 40 * a * b;
}

export async function runCellsOnWorkers(
  table: NumericTable,
  tasks: CellTask[],
  workerCount: number,
  onOutcome: (o: CellOutcome) => void,
): Promise<void> {
  if (!tasks.length) return;
  const needed = [...new Set(tasks.flatMap((t) => [t.row, t.col]))];
  const columns: Record<string, Float64Array> = {};
  for (const name of needed) columns[name] = table.columns.get(name)!;
  const distinct = distinctCounts(table, needed);
  const queue = [...tasks].sort((a, b) => kernelCellCost(distinct, b) - kernelCellCost(distinct, a));
  const count = Math.max(1, Math.min(workerCount, cpus().length, queue.length));
  await Promise.all(Array.from({ length: count }, () => new Promise<void>((resolve, reject) => {
    const worker = startWorker(import.meta.url, "level1-worker", { workerData: { source: table.source, names: needed, columns, rows: table.rows } });
    const next = () => {
      const task = queue.shift();
      if (task) worker.postMessage(task);
      else void worker.terminate().then(() => resolve());
    };
    worker.on("message", (o: CellOutcome) => { onOutcome(o); next(); });
    worker.on("error", reject);
    worker.on("online", next);
  })));
}

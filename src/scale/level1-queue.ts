import type { CellOutcome, CellTask } from "../citest/level1.ts";
import type { NumericTable } from "../citest/table.ts";
import type { Level1CellPayload } from "./compute-jobs.ts";
import { jobId } from "./jobs.ts";
import type { JobQueue, QueueJob } from "./producer.ts";
import { PACKAGE_VERSION } from "./version.ts";

/**
 * A `runCells` for runLevel1 that sends every cell to the queue as one job. The table's needed columns
 * go to Redis once; a cell's job id is its canonical key (data, test, row, column, seed, version), so a
 * rerun takes cells that already finished and a cell listed twice is computed once.
 */
export function level1OnQueue(queue: JobQueue) {
  return async (table: NumericTable, tasks: CellTask[], onOutcome: (o: CellOutcome) => void): Promise<void> => {
    const names = [...new Set(tasks.flatMap((t) => [t.row, t.col]))];
    const data = await queue.putData({ source: table.source, names, rows: table.rows, columns: names.map((n) => table.columns.get(n)!) });
    const byId = new Map<string, { job: QueueJob<Level1CellPayload>; tasks: CellTask[] }>();
    for (const task of tasks) {
      const id = jobId("level1-cell", PACKAGE_VERSION, data, task.test, task.row, task.col, task.seed);
      const entry = byId.get(id) ?? { job: { id, kind: "level1-cell" as const, payload: { data, task } }, tasks: [] };
      entry.tasks.push(task);
      byId.set(id, entry);
    }
    // Outcomes are matched to tasks by key: a job found from an earlier run may carry another index.
    await queue.runAll<CellOutcome>([...byId.values()].map((e) => e.job), {
      onResult: (outcome, job) => { for (const task of byId.get(job.id)!.tasks) onOutcome({ ...outcome, index: task.index }); },
    });
  };
}

/** Worker side of level1-pool.ts: rebuilds the table from workerData and answers CellTasks. */
import { parentPort, workerData } from "node:worker_threads";
import { runCell, type CellTask } from "./level1.ts";
import type { NumericTable } from "./table.ts";

const init = workerData as { source: string; names: string[]; columns: Record<string, Float64Array>; rows: number };
const table: NumericTable = { source: init.source, names: init.names, columns: new Map(Object.entries(init.columns)), rows: init.rows };
parentPort!.on("message", (task: CellTask) => parentPort!.postMessage(runCell(table, task)));

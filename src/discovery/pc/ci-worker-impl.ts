import { parentPort, workerData } from "node:worker_threads";
import type { CiQueryFn } from "../../citest/types.ts";
import { prepareTestSpec, type TestSpec } from "./test-spec.ts";

/** Worker side of the parallel PC driver: prepares the test once, then answers batches of queries. */
interface Init {
  spec: TestSpec;
  rows: number;
  cols: number;
  data: Float64Array;
}

const init = workerData as Init;
let query: CiQueryFn | undefined;
let failure: string | undefined;
try {
  query = await prepareTestSpec(init.spec, { rows: init.rows, cols: init.cols, data: init.data });
} catch (error) {
  failure = error instanceof Error ? error.message : String(error);
}

parentPort!.on("message", (message: { id: number; queries: Array<[number, number, number[]]> }) => {
  if (!query) {
    parentPort!.postMessage({ id: message.id, error: failure });
    return;
  }
  try {
    const pValues = message.queries.map(([x, y, S]) => query!(x, y, S).pValue);
    parentPort!.postMessage({ id: message.id, pValues });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort!.postMessage({ ready: true });

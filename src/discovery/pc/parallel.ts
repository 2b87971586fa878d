import type { Worker } from "node:worker_threads";
import { startWorker } from "../../util/worker-entry.ts";
import { ComputeError } from "../../errors.ts";
import type { Matrix } from "../../linalg/matrix.ts";
import type { CiKey } from "./ci-runner.ts";
import type { TestSpec } from "./test-spec.ts";

/**
 * A pool of worker threads that each hold the data and a prepared CI test, and evaluate batches of
 * queries. Each p-value depends only on (data, x, y, S), so splitting a depth's queries among threads
 * cannot change any value; the PC driver then replays the depth in sequential order (pcAsync).
 */
export class CiWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly ready: Promise<void>[] = [];
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (p: number[]) => void; reject: (e: Error) => void }>();

  constructor(spec: TestSpec, data: Matrix, readonly threads: number) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    for (let t = 0; t < threads; t++) {
      const worker = startWorker(import.meta.url, "ci-worker-impl", {
        workerData: { spec, rows: data.rows, cols: data.cols, data: data.data },
      });
      this.ready.push(new Promise((resolve, reject) => {
        worker.once("error", reject);
        worker.on("message", (m: { ready?: boolean; id?: number; pValues?: number[]; error?: string }) => {
          if (m.ready) return resolve();
          const job = this.pending.get(m.id!);
          if (!job) return;
          this.pending.delete(m.id!);
          if (m.error !== undefined) job.reject(new ComputeError(`CI test failed in a worker thread: ${m.error}`));
          else job.resolve(m.pValues!);
        });
      }));
      worker.on("error", (error) => {
        for (const job of this.pending.values()) job.reject(error);
        this.pending.clear();
      });
      this.workers.push(worker);
    }
  }

  /** p-values of `queries`, in their order. */
  async evaluate(queries: CiKey[]): Promise<number[]> {
    await Promise.all(this.ready);
    const chunk = Math.ceil(queries.length / this.workers.length);
    const parts = await Promise.all(this.workers.map((worker, t) => {
      const slice = queries.slice(t * chunk, (t + 1) * chunk);
      if (slice.length === 0) return Promise.resolve([] as number[]);
      const id = this.nextId++;
      return new Promise<number[]>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        worker.postMessage({ id, queries: slice.map((q) => [q.x, q.y, q.S]) });
      });
    }));
    return parts.flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

import type { Worker } from "node:worker_threads";
import { startWorker } from "../util/worker-entry.ts";
import type { ComputeJobKind } from "./compute-jobs.ts";
import { NO_DATA, type ComputeReply, type ComputeRequest } from "./compute-protocol.ts";

/**
 * Threads for a queue worker's CPU jobs. A job runs off the main thread so that the worker's event loop
 * stays free to renew the job's lock in Redis: a long computation on the main thread would look like a
 * dead worker and the job would be handed to another one. Each thread remembers which data it holds, so
 * the data is sent to a thread once.
 */
export class ComputePool {
  private readonly idle: Slot[] = [];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private readonly slots: Slot[];
  private seq = 0;

  constructor(size: number) {
    this.slots = Array.from({ length: size }, () => new Slot());
    this.idle.push(...this.slots);
  }

  /** Runs a job on a free thread; `shared` names the data it reads and fetches it (absent for jobs that need none). */
  async run(kind: ComputeJobKind, payload: unknown, shared?: { id: string; bytes: () => Promise<Uint8Array> }): Promise<unknown> {
    const slot = this.idle.pop() ?? await new Promise<Slot>((resolve) => this.waiting.push(resolve));
    try {
      const request: ComputeRequest = { seq: ++this.seq, kind, payload, dataId: shared?.id };
      if (shared && !slot.holds.has(shared.id)) request.dataBytes = await shared.bytes();
      let reply = await slot.call(request);
      if (shared && !reply.ok && reply.error.code === NO_DATA) reply = await slot.call({ ...request, seq: ++this.seq, dataBytes: await shared.bytes() });
      if (shared) slot.holds.add(shared.id);
      if (!reply.ok) throw Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code });
      return reply.result;
    } finally {
      const next = this.waiting.shift();
      if (next) next(slot);
      else this.idle.push(slot);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.close()));
  }
}

class Slot {
  readonly holds = new Set<string>();
  private worker?: Worker;
  private pending?: { seq: number; resolve: (r: ComputeReply) => void; reject: (e: Error) => void };

  call(request: ComputeRequest): Promise<ComputeReply> {
    const worker = this.ensureWorker();
    return new Promise((resolve, reject) => {
      this.pending = { seq: request.seq, resolve, reject };
      worker.postMessage(request);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // compute-thread.js next to the compiled pool when installed; the .ts through tsx in the source tree.
    const worker = startWorker(import.meta.url, "compute-thread");
    worker.on("message", (reply: ComputeReply) => {
      const p = this.pending;
      this.pending = undefined;
      p?.resolve(reply);
    });
    const fail = (error: Error) => {
      // A crashed thread loses its data; the next job starts a fresh one.
      this.worker = undefined;
      this.holds.clear();
      const p = this.pending;
      this.pending = undefined;
      p?.reject(error);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => { if (this.worker === worker) fail(new Error(`compute thread exited with code ${code}`)); });
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

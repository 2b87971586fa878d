import { Worker } from "node:worker_threads";
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

  async run(kind: ComputeJobKind, payload: unknown, dataId: string, data: () => Promise<Uint8Array>): Promise<unknown> {
    const slot = this.idle.pop() ?? await new Promise<Slot>((resolve) => this.waiting.push(resolve));
    try {
      const request: ComputeRequest = { seq: ++this.seq, kind, payload, dataId };
      if (!slot.holds.has(dataId)) request.dataBytes = await data();
      let reply = await slot.call(request);
      if (!reply.ok && reply.error.code === NO_DATA) reply = await slot.call({ ...request, seq: ++this.seq, dataBytes: await data() });
      slot.holds.add(dataId);
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
    // A .mjs entry that registers tsx, since threads do not inherit the main thread's loader.
    const worker = new Worker(new URL("./compute-thread.mjs", import.meta.url));
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

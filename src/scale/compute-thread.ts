/** A compute thread of a queue worker: runs CPU job kinds on shared data it keeps decoded between jobs. */
import { parentPort } from "node:worker_threads";
import { computeJobs, SharedData } from "./compute-jobs.ts";
import { NO_DATA, type ComputeReply, type ComputeRequest } from "./compute-protocol.ts";
import { decodeColumns } from "./data-blob.ts";

/** Recently used data (a worker usually serves one run at a time; a few are kept for interleaved runs). */
const MAX_CACHED = 4;
const cache = new Map<string, SharedData>();

parentPort!.on("message", (request: ComputeRequest) => { void serve(request); });

async function serve(request: ComputeRequest): Promise<void> {
  let reply: ComputeReply;
  try {
    let shared = request.dataId === undefined ? undefined : cache.get(request.dataId);
    if (!shared && request.dataId !== undefined) {
      if (!request.dataBytes) {
        parentPort!.postMessage({ seq: request.seq, ok: false, error: { name: "Error", message: "data not held", code: NO_DATA } } satisfies ComputeReply);
        return;
      }
      shared = new SharedData(decodeColumns(request.dataBytes));
      cache.set(request.dataId, shared);
      if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
    }
    reply = { seq: request.seq, ok: true, result: await computeJobs[request.kind](request.payload, shared) };
  } catch (error) {
    const e = error as Error & { code?: string };
    reply = { seq: request.seq, ok: false, error: { name: e.name, message: e.message, code: e.code } };
  }
  parentPort!.postMessage(reply);
}

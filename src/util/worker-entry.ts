/**
 * Starts a worker thread on a module that sits next to the calling module, in the form the caller runs in:
 * - compiled JavaScript (dist/, as installed from npm): `<stem>.js`, with no TypeScript tooling at run time;
 * - TypeScript from the source tree (tests, `npm start`, development): `<stem>.ts` through tsx. Worker threads
 *   do not inherit the main thread's loader hooks, so a small plain-JavaScript shim (tsx-worker.mjs, never
 *   compiled or shipped) loads tsx inside the worker first.
 * So edits under src/ take effect without a rebuild, and the published package never needs tsx.
 */
import { Worker, type WorkerOptions } from "node:worker_threads";

/** `callerUrl` is the caller's `import.meta.url`; `stem` the worker module's file name without extension. */
export function startWorker(callerUrl: string, stem: string, options: WorkerOptions = {}): Worker {
  if (!new URL(callerUrl).pathname.endsWith(".ts")) return new Worker(new URL(`./${stem}.js`, callerUrl), options);
  const target = new URL(`./${stem}.ts`, callerUrl);
  target.search = "";
  return new Worker(new URL("./tsx-worker.mjs", import.meta.url), { ...options, argv: [...(options.argv ?? []), target.href] });
}

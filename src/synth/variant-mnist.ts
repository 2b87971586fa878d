/**
 * "Variant MNIST", the synthetic benchmark of the PersonaX paper (DESIGN §1.3). The public code ships
 * neither its data nor its generator; this is our documented design (docs/MNIST.md).
 *
 * Latents (one row = one sample), with independent exogenous noises ε11, ε12, ε21, ε22 ~ U(−1, 1):
 *
 *   Z11 = ε11                                   horizontal position of the digit
 *   Z12 = 0.5·sin(2·Z11) + 0.5·ε12              transparency of the digit        (Z11 → Z12)
 *   Z21 = 0.5·tanh(3·Z11) + 0.5·ε21             vertical position of the item    (Z11 → Z21, cross-modal)
 *   Z22 = 0.5·(2·Z21² − 1) + 0.5·ε22            gray intensity of the item       (Z21 → Z22)
 *
 * Every latent lies in [−1, 1]. Rendering on the 28 × 28 canvas (pixel values = bytes / 255):
 *
 *   modality 1, "digit": an MNIST digit (identity drawn per row: nuisance content) shifted right by 5·Z11
 *     pixels (bilinear, zeros outside) and downsampled bilinearly to 14 × 14 (half-pixel centres, as
 *     PyTorch's interpolate(align_corners=False): for a factor of 2, the mean of each 2 × 2 block), drawn
 *     with opacity α = 0.6 + 0.4·Z12 ∈ [0.2, 1] over a black background. Three measurements k = red,
 *     green, blue: the digit in that colour seen with a per-measurement gain g_k = 1 + 0.1·η_k,
 *     η_k ~ U(−1, 1) independent (measurement error): channel k holds min(1, α·g_k·digit), the other two
 *     channels 0.
 *   modality 2, "item": a Fashion-MNIST item (identity per row) shifted down by 5·Z21 pixels, downsampled
 *     the same way and scaled by the gray level γ = 0.6 + 0.4·Z22 ∈ [0.2, 1].
 *
 * Independent sensor noise N(0, 0.05²) is added to every value and values are clipped to [0, 1]. Measurement vectors:
 * 14·14·3 = 588 values per colour rendering (channel last: pixel p, channel c at 3p + c), 196 for the item.
 * The rows are split 90/10 by a seeded permutation (train / test).
 */
import type { Matrix } from "../linalg/matrix.ts";
import { Rng } from "../util/rng.ts";
import type { CrlDataset } from "../crl/data.ts";
import { IMAGE_SIDE, loadFashionItems, loadMnistDigits, poolImage, type ImagePool } from "./mnist-sources.ts";

export const SMALL_SIDE = 14;
export const DIGIT_COLORS = ["red", "green", "blue"] as const;
export type DigitColor = (typeof DIGIT_COLORS)[number];
export const VARIANT_MNIST_LATENTS = ["Z11", "Z12", "Z21", "Z22"] as const;
/** adjacency[i][j] = 1 for i → j, in VARIANT_MNIST_LATENTS order. */
export const VARIANT_MNIST_DAG: number[][] = [
  [0, 1, 1, 0],
  [0, 0, 0, 0],
  [0, 0, 0, 1],
  [0, 0, 0, 0],
];
/** Modality of each latent (0 = digit, 1 = item). */
export const VARIANT_MNIST_OWNER = [0, 0, 1, 1];

/** Pixels of shift per unit of Z11 / Z21 on the 28 × 28 canvas. */
export const SHIFT_PIXELS = 5;
export const GAIN_NOISE = 0.1;
export const PIXEL_NOISE_SD = 0.05;

export interface VariantMnistOptions {
  /** Rows (default 20,000). */
  n?: number;
  seed: number;
  /** Fraction of rows in the test split (default 0.1). */
  testFraction?: number;
  /** Images per class in each identity pool (default 1,000). */
  poolPerClass?: number;
  /** Sensor noise sd (default 0.05); 0 renders noise-free images. */
  pixelNoise?: number;
  /** Per-measurement gain noise amplitude (default 0.1). */
  gainNoise?: number;
  /** Pools to draw from (default: loaded from the packages); tests pass small ones. */
  digits?: ImagePool;
  items?: ImagePool;
}

export interface VariantMnistData {
  n: number;
  seed: number;
  /** n × 4 true latents [Z11, Z12, Z21, Z22]. */
  latents: Matrix;
  latentNames: string[];
  adjacency: number[][];
  owner: number[];
  /** Per colour (red, green, blue): n × 588 values in [0, 1]. */
  digitMeasurements: Float32Array[];
  /** n × 196 values in [0, 1]. */
  items: Float32Array;
  /** Source identities (pool index and class) per row: the nuisance content. */
  digitIndex: Uint32Array;
  digitClass: Uint8Array;
  itemIndex: Uint32Array;
  itemClass: Uint8Array;
  /** Per-measurement gain of each row (n × 3). */
  gains: Float32Array;
  trainRows: number[];
  testRows: number[];
  settings: { testFraction: number; poolPerClass: number; pixelNoise: number; gainNoise: number; shiftPixels: number };
}

/** The latents of one row from its four exogenous noises (each in [−1, 1]). */
export function variantMnistLatents(e11: number, e12: number, e21: number, e22: number): [number, number, number, number] {
  const z11 = e11;
  const z12 = 0.5 * Math.sin(2 * z11) + 0.5 * e12;
  const z21 = 0.5 * Math.tanh(3 * z11) + 0.5 * e21;
  const z22 = 0.5 * (2 * z21 * z21 - 1) + 0.5 * e22;
  return [z11, z12, z21, z22];
}

/** Opacity of the digit for Z12 (and gray level of the item for Z22): 0.6 + 0.4·z ∈ [0.2, 1]. */
export const intensityOf = (z: number) => 0.6 + 0.4 * z;

/**
 * A 28 × 28 image translated by (dx, dy) pixels: out(x, y) = src(x − dx, y − dy), bilinear, 0 outside.
 */
export function shiftImage(src: Float32Array, dx: number, dy: number, side = IMAGE_SIDE): Float32Array {
  const out = new Float32Array(side * side);
  const at = (x: number, y: number) => (x >= 0 && x < side && y >= 0 && y < side ? src[y * side + x]! : 0);
  for (let y = 0; y < side; y++) {
    const sy = y - dy;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let x = 0; x < side; x++) {
      const sx = x - dx;
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      out[y * side + x] = (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
    }
  }
  return out;
}

/** Bilinear resize of a square image with half-pixel centres (PyTorch interpolate, align_corners=False). */
export function resizeBilinear(src: Float32Array, side: number, outSide: number): Float32Array {
  const out = new Float32Array(outSide * outSide);
  const ratio = side / outSide;
  const coord = (i: number) => {
    const s = Math.max(0, (i + 0.5) * ratio - 0.5);
    const i0 = Math.min(side - 1, Math.floor(s));
    return { i0, i1: Math.min(side - 1, i0 + 1), f: s - i0 };
  };
  for (let y = 0; y < outSide; y++) {
    const cy = coord(y);
    for (let x = 0; x < outSide; x++) {
      const cx = coord(x);
      const top = (1 - cx.f) * src[cy.i0 * side + cx.i0]! + cx.f * src[cy.i0 * side + cx.i1]!;
      const bottom = (1 - cx.f) * src[cy.i1 * side + cx.i0]! + cx.f * src[cy.i1 * side + cx.i1]!;
      out[y * outSide + x] = (1 - cy.f) * top + cy.f * bottom;
    }
  }
  return out;
}

const clip01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** The digit (28 × 28 in [0, 1]) shifted right by 5·Z11 pixels and downsampled to 14 × 14, full opacity. */
export function placeDigit(digit: Float32Array, z11: number): Float32Array {
  return resizeBilinear(shiftImage(digit, SHIFT_PIXELS * z11, 0), IMAGE_SIDE, SMALL_SIDE);
}

/** One colour rendering of a placed digit (placeDigit) for Z12 and a gain: 14 × 14 × 3 values, channel last, noise-free. */
export function colorDigit(placed: Float32Array, z12: number, color: DigitColor, gain = 1): Float32Array {
  const scale = intensityOf(z12) * gain;
  const channel = DIGIT_COLORS.indexOf(color);
  const out = new Float32Array(placed.length * 3);
  for (let p = 0; p < placed.length; p++) out[3 * p + channel] = clip01(scale * placed[p]!);
  return out;
}

/** One colour rendering of a digit (28 × 28 in [0, 1]) for (Z11, Z12) and a gain, noise-free. */
export function renderDigit(digit: Float32Array, z11: number, z12: number, color: DigitColor, gain = 1): Float32Array {
  return colorDigit(placeDigit(digit, z11), z12, color, gain);
}

/** The item (28 × 28 in [0, 1]) for (Z21, Z22): shifted down by 5·Z21 pixels, downsampled, scaled by the gray level; 14 × 14, noise-free. */
export function renderItem(item: Float32Array, z21: number, z22: number): Float32Array {
  const gray = intensityOf(z22);
  const small = resizeBilinear(shiftImage(item, 0, SHIFT_PIXELS * z21), IMAGE_SIDE, SMALL_SIDE);
  for (let p = 0; p < small.length; p++) small[p] = gray * small[p]!;
  return small;
}

/** Generates the benchmark data set (see the module comment for the exact distributions). */
export function generateVariantMnist(options: VariantMnistOptions): VariantMnistData {
  const n = options.n ?? 20_000;
  const testFraction = options.testFraction ?? 0.1;
  const poolPerClass = options.poolPerClass ?? 1000;
  const pixelNoise = options.pixelNoise ?? PIXEL_NOISE_SD;
  const gainNoise = options.gainNoise ?? GAIN_NOISE;
  if (!Number.isInteger(n) || n < 10) throw new RangeError(`variant MNIST needs an integer n ≥ 10, got ${n}`);
  const digits = options.digits ?? loadMnistDigits({ perClass: poolPerClass });
  const items = options.items ?? loadFashionItems({ perClass: poolPerClass });

  const rng = new Rng(options.seed);
  const latentRng = rng.fork(1), identityRng = rng.fork(2), gainRng = rng.fork(3), noiseRng = rng.fork(4);
  const latents = new Float64Array(n * 4);
  const small = SMALL_SIDE * SMALL_SIDE;
  const digitMeasurements = DIGIT_COLORS.map(() => new Float32Array(n * small * 3));
  const itemValues = new Float32Array(n * small);
  const digitIndex = new Uint32Array(n), itemIndex = new Uint32Array(n);
  const digitClass = new Uint8Array(n), itemClass = new Uint8Array(n);
  const gains = new Float32Array(n * 3);
  const pixel = (v: number) => clip01(pixelNoise > 0 ? v + pixelNoise * noiseRng.normal() : v);

  for (let i = 0; i < n; i++) {
    const z = variantMnistLatents(latentRng.uniformIn(-1, 1), latentRng.uniformIn(-1, 1), latentRng.uniformIn(-1, 1), latentRng.uniformIn(-1, 1));
    latents.set(z, i * 4);
    digitIndex[i] = identityRng.int(digits.count);
    itemIndex[i] = identityRng.int(items.count);
    digitClass[i] = digits.labels[digitIndex[i]!]!;
    itemClass[i] = items.labels[itemIndex[i]!]!;
    const placed = placeDigit(poolImage(digits, digitIndex[i]!), z[0]);
    DIGIT_COLORS.forEach((color, k) => {
      const gain = 1 + gainNoise * gainRng.uniformIn(-1, 1);
      gains[i * 3 + k] = gain;
      const rendered = colorDigit(placed, z[1], color, gain);
      const target = digitMeasurements[k]!;
      for (let p = 0; p < rendered.length; p++) target[i * rendered.length + p] = pixel(rendered[p]!);
    });
    const item = renderItem(poolImage(items, itemIndex[i]!), z[2], z[3]);
    for (let p = 0; p < item.length; p++) itemValues[i * small + p] = pixel(item[p]!);
  }

  const order = rng.fork(5).permutation(n);
  const nTest = Math.max(1, Math.round(n * testFraction));
  return {
    n,
    seed: options.seed,
    latents: { rows: n, cols: 4, data: latents },
    latentNames: [...VARIANT_MNIST_LATENTS],
    adjacency: VARIANT_MNIST_DAG.map((r) => [...r]),
    owner: [...VARIANT_MNIST_OWNER],
    digitMeasurements,
    items: itemValues,
    digitIndex,
    digitClass,
    itemIndex,
    itemClass,
    gains,
    trainRows: order.slice(0, n - nTest).sort((a, b) => a - b),
    testRows: order.slice(n - nTest).sort((a, b) => a - b),
    settings: { testFraction, poolPerClass, pixelNoise, gainNoise, shiftPixels: SHIFT_PIXELS },
  };
}

/**
 * The data as a CRL dataset with its truth: modality "digit" with the first `digitMeasurements` colour
 * renderings (3 = PersonaX CRL, 1 = the red one only, MMCRL) and modality "item".
 */
export function variantMnistDataset(data: VariantMnistData, digitMeasurements: 1 | 2 | 3 = 3): CrlDataset {
  return {
    nRows: data.n,
    modalities: [
      { name: "digit", inputDim: SMALL_SIDE * SMALL_SIDE * 3, measurements: data.digitMeasurements.slice(0, digitMeasurements) },
      { name: "item", inputDim: SMALL_SIDE * SMALL_SIDE, measurements: [data.items] },
    ],
    truth: { latents: data.latents, names: data.latentNames, adjacency: data.adjacency, owner: data.owner },
  };
}

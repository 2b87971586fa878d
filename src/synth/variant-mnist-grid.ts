/**
 * Image grids of variant-MNIST measurements as PNG: sample rows (the four measurements side by side) and
 * latent traversals. Tiles are 14 × 14 RGB (a 196-value tile is gray), enlarged `scale` times.
 */
import { PNG } from "pngjs";
import { SMALL_SIDE, type VariantMnistData } from "./variant-mnist.ts";

/** One tile: 196 gray values or 588 channel-last RGB values in [0, 1]. */
export type Tile = Float32Array;

/** A PNG of tiles laid out in rows (`grid[r][c]`), with a 1-pixel gray gutter. */
export function tileGridPng(grid: readonly (readonly Tile[])[], scale = 4): Uint8Array {
  const side = SMALL_SIDE * scale;
  const rows = grid.length;
  const cols = Math.max(...grid.map((r) => r.length));
  const width = cols * (side + 1) + 1;
  const height = rows * (side + 1) + 1;
  const png = new PNG({ width, height });
  png.data.fill(128);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  grid.forEach((row, r) => row.forEach((tile, c) => {
    const rgb = tile.length === SMALL_SIDE * SMALL_SIDE * 3;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const p = Math.floor(y / scale) * SMALL_SIDE + Math.floor(x / scale);
        const o = 4 * ((r * (side + 1) + 1 + y) * width + c * (side + 1) + 1 + x);
        for (let ch = 0; ch < 3; ch++) {
          const v = rgb ? tile[3 * p + ch]! : tile[p]!;
          png.data[o + ch] = Math.round(255 * Math.min(1, Math.max(0, v)));
        }
      }
    }
  }));
  return PNG.sync.write(png);
}

/** The four measurements (red, green, blue digit; item) of the given rows, one row of tiles per sample. */
export function sampleRowsPng(data: VariantMnistData, rows: readonly number[], scale = 4): Uint8Array {
  const rgb = SMALL_SIDE * SMALL_SIDE * 3, gray = SMALL_SIDE * SMALL_SIDE;
  return tileGridPng(rows.map((i) => [
    ...data.digitMeasurements.map((m) => m.subarray(i * rgb, (i + 1) * rgb)),
    data.items.subarray(i * gray, (i + 1) * gray),
  ]), scale);
}

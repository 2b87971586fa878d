/**
 * Image grids of variant-MNIST measurements: sample rows (the four measurements side by side) and latent
 * traversals, as 14 × 14 tiles (a 196-value tile is gray) drawn by report/tile-grid.ts, enlarged `scale` times.
 */
import { tileGridPng, type Tile } from "../report/tile-grid.ts";
import { SMALL_SIDE, type VariantMnistData } from "./variant-mnist.ts";

/** A PNG of 14 × 14 tiles laid out in rows (`grid[r][c]`), with a 1-pixel gray gutter. */
export function mnistTileGridPng(grid: readonly (readonly Tile[])[], scale = 4): Uint8Array {
  return tileGridPng(grid, SMALL_SIDE, scale);
}

/** The four measurements (red, green, blue digit; item) of the given rows, one row of tiles per sample. */
export function sampleRowsPng(data: VariantMnistData, rows: readonly number[], scale = 4): Uint8Array {
  const rgb = SMALL_SIDE * SMALL_SIDE * 3, gray = SMALL_SIDE * SMALL_SIDE;
  return mnistTileGridPng(rows.map((i) => [
    ...data.digitMeasurements.map((m) => m.subarray(i * rgb, (i + 1) * rgb)),
    data.items.subarray(i * gray, (i + 1) * gray),
  ]), scale);
}

/**
 * Image grids as PNG: square tiles (side² gray values, or 3·side² channel-last RGB values, in [0, 1]) laid
 * out in rows with a 1-pixel gray gutter, each tile pixel enlarged `scale` times. Used for the variant-MNIST
 * samples and latent traversals (synth/variant-mnist-grid.ts, crl/baselines/run.ts).
 */
import { PNG } from "pngjs";

/** One tile: side² gray values or 3·side² channel-last RGB values in [0, 1]. */
export type Tile = Float32Array;

/** A PNG of `tileSide` × `tileSide` tiles laid out in rows (`grid[r][c]`), with a 1-pixel gray gutter. */
export function tileGridPng(grid: readonly (readonly Tile[])[], tileSide: number, scale = 4): Uint8Array {
  const side = tileSide * scale;
  const rows = grid.length;
  const cols = Math.max(...grid.map((r) => r.length));
  const width = cols * (side + 1) + 1;
  const height = rows * (side + 1) + 1;
  const png = new PNG({ width, height });
  png.data.fill(128);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  grid.forEach((row, r) => row.forEach((tile, c) => {
    const rgb = tile.length === tileSide * tileSide * 3;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const p = Math.floor(y / scale) * tileSide + Math.floor(x / scale);
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

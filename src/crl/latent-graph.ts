/**
 * The learned latent graph of a trained CRL model: the gate's edges (model.learnedAdjacency), with the
 * edges inside a block of latents (one modality's, or the shared ones) oriented from the learned latents.
 *
 * Why: the gate only has edges j → i for j < i, so the order of a modality's latents is the order of its
 * encoder's output slots, which training never revisits (no gradient permutes slots). On case a the
 * slots put a true within-modality parent after its child in 9 of 14 edges (data seeds 201–212), and
 * the edge then shows up reversed. Across blocks the order is the modality order, which the model assumes.
 *
 * Orientation ("anm"): the block's order is found as in RESIT (Peters et al. 2014): under an additive-noise
 * model the sink of a block is the latent whose residual, after a kernel ridge regression on the earlier
 * blocks' latents and the rest of its block, is the least dependent (normalised HSIC) on those regressors;
 * it is placed last and removed, and so on. Regressions are fitted on the first half of the rows and the
 * residuals taken on the second half, so an overfitted regression does not look independent. Every
 * within-block edge of the gate keeps its pair and takes the direction of that order.
 */
import type { Matrix } from "../linalg/matrix.ts";
import { noGrad, Tensor } from "../nn/tensor.ts";
import { kernelRidgePredict } from "./metrics/r2.ts";
import { constantCentredGram, normalizedHsic } from "./dependence.ts";
import type { CrlModel } from "./model.ts";

/** Rows the orientation uses at most (kernel ridge is cubic in rows); the first rows of the latents given. */
export const ORIENTATION_MAX_ROWS = 1000;

/** The model's learned graph (adjacency[j][i] = 1 for j → i) given its latents on some rows (n × L, z_all order). */
export function learnedLatentGraph(model: CrlModel, latents: Matrix): number[][] {
  const gate = model.learnedAdjacency();
  if (model.withinOrientation === "index" || !latents.data.every(Number.isFinite)) return gate;
  return orientWithinBlocks(gate, latents, model.owner);
}

/**
 * Re-orients the edges inside each block (latents with the same owner) by the block order that
 * `blockOrder` finds; edges between blocks are kept as they are.
 */
export function orientWithinBlocks(adjacency: number[][], latents: Matrix, owner: readonly number[]): number[][] {
  const L = owner.length;
  if (latents.cols !== L || adjacency.length !== L) throw new RangeError(`orientWithinBlocks: ${L} owners, ${adjacency.length} graph nodes, ${latents.cols} latent columns`);
  const position = new Map<number, number>();
  blockOrder(latents, owner).forEach((latent, k) => position.set(latent, k));
  const out = adjacency.map((row) => [...row]);
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < i; j++) {
      if (owner[i] !== owner[j] || !(adjacency[j]![i] || adjacency[i]![j])) continue;
      const [from, to] = position.get(j)! < position.get(i)! ? [j, i] : [i, j];
      out[from]![to] = 1;
      out[to]![from] = 0;
    }
  }
  return out;
}

/** A causal order of the latents: blocks in owner order (shared first), each block ordered by residual independence. */
export function blockOrder(latents: Matrix, owner: readonly number[]): number[] {
  const z = standardizedHead(latents, ORIENTATION_MAX_ROWS);
  const blocks = [...new Set(owner)].sort((a, b) => a - b).map((o) => owner.flatMap((v, i) => (v === o ? [i] : [])));
  const order: number[] = [];
  for (const block of blocks) {
    const rest = [...block];
    const tail: number[] = [];
    while (rest.length > 1) {
      let sink = rest[0]!;
      let least = Infinity;
      for (const candidate of rest) {
        const regressors = [...order, ...rest.filter((v) => v !== candidate)];
        const dependence = residualDependence(z, candidate, regressors);
        if (dependence < least) { least = dependence; sink = candidate; }
      }
      tail.unshift(sink);
      rest.splice(rest.indexOf(sink), 1);
    }
    order.push(...rest, ...tail);
  }
  return order;
}

/** Normalised HSIC between the held-out residual of `target` regressed on `regressors` and those regressors. */
function residualDependence(z: Matrix, target: number, regressors: number[]): number {
  const half = z.rows >> 1;
  const fit = columns(z, regressors, 0, half);
  const held = columns(z, regressors, half, z.rows);
  const predicted = kernelRidgePredict(fit, columns(z, [target], 0, half), held);
  const residual = new Float32Array(z.rows - half);
  for (let r = 0; r < residual.length; r++) residual[r] = z.data[(half + r) * z.cols + target]! - predicted.data[r]!;
  return noGrad(() => normalizedHsic(new Tensor(residual, [residual.length, 1]), constantCentredGram(new Tensor(Float32Array.from(held.data), [held.rows, held.cols]))).item());
}

function columns(z: Matrix, idx: readonly number[], start: number, end: number): Matrix {
  const out = new Float64Array((end - start) * idx.length);
  for (let r = start; r < end; r++) idx.forEach((c, k) => { out[(r - start) * idx.length + k] = z.data[r * z.cols + c]!; });
  return { rows: end - start, cols: idx.length, data: out };
}

/** The first `maxRows` rows, each column z-scored (the kernel ridge's width 1/d assumes unit scales). */
function standardizedHead(m: Matrix, maxRows: number): Matrix {
  const rows = Math.min(m.rows, maxRows);
  const out = new Float64Array(rows * m.cols);
  for (let c = 0; c < m.cols; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += m.data[r * m.cols + c]!;
    mean /= rows;
    let variance = 0;
    for (let r = 0; r < rows; r++) variance += (m.data[r * m.cols + c]! - mean) ** 2;
    const sd = Math.sqrt(variance / Math.max(1, rows - 1)) || 1;
    for (let r = 0; r < rows; r++) out[r * m.cols + c] = (m.data[r * m.cols + c]! - mean) / sd;
  }
  return { rows, cols: m.cols, data: out };
}

/**
 * Reductions: sum and mean over all elements or over the given axes (negative axes count from the end).
 * Backward spreads the output gradient back over the reduced axes (·1/count for mean).
 */
import { Tensor, outputBuffer } from "../tensor.ts";

export interface ReduceOptions {
  /** Keep the reduced axes as size-1 dimensions (so the result broadcasts against the input). Default false. */
  keepDims?: boolean;
}

function normalizeAxes(shape: readonly number[], axis: number | readonly number[] | undefined, what: string): Set<number> {
  const list = axis === undefined ? shape.map((_, i) => i) : typeof axis === "number" ? [axis] : [...axis];
  const axes = new Set<number>();
  for (const a of list) {
    const k = a < 0 ? a + shape.length : a;
    if (!Number.isInteger(k) || k < 0 || k >= shape.length) throw new RangeError(`${what}: axis ${a} out of range for shape [${shape.join(", ")}]`);
    axes.add(k);
  }
  return axes;
}

function reduce(x: Tensor, axis: number | readonly number[] | undefined, options: ReduceOptions, mean: boolean): Tensor {
  const name = mean ? "mean" : "sum";
  const axes = normalizeAxes(x.shape, axis, name);
  const keptShape = x.shape.map((d, i) => (axes.has(i) ? 1 : d));
  const outShape = options.keepDims ? keptShape : x.shape.filter((_, i) => !axes.has(i));
  const outSize = keptShape.reduce((p, d) => p * d, 1);
  const count = x.size / Math.max(outSize, 1);
  const factor = mean ? 1 / count : 1;
  const fast = fastReduce(x, axes, outShape, factor, name);
  if (fast) return fast;
  // Output flat index of each input element: a mixed-radix counter over the input shape.
  const map = new Int32Array(x.size);
  const rank = x.shape.length;
  const outStrides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = rank - 1; i >= 0; i--) {
    outStrides[i] = axes.has(i) ? 0 : stride;
    stride *= keptShape[i]!;
  }
  const counter = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let flat = 0; flat < x.size; flat++) {
    map[flat] = offset;
    for (let i = rank - 1; i >= 0; i--) {
      counter[i]++;
      offset += outStrides[i]!;
      if (counter[i]! < x.shape[i]!) break;
      offset -= outStrides[i]! * counter[i]!;
      counter[i] = 0;
    }
  }
  const sums = new Float64Array(outSize); // accumulate in float64: large reductions stay accurate
  const xd = x.data;
  for (let i = 0; i < x.size; i++) sums[map[i]!]! += xd[i]!;
  const data = outputBuffer(outSize);
  for (let i = 0; i < outSize; i++) data[i] = sums[i]! * factor;
  const out = Tensor.result(data, outShape, [x], name);
  if (out.requiresGrad) {
    out.backwardFn = () => {
      const g = out.grad!, gx = x.gradBuffer();
      for (let i = 0; i < gx.length; i++) gx[i]! += g[map[i]!]! * factor; // d sum/dx = 1, d mean/dx = 1/count
    };
  }
  return out;
}

/**
 * The common reductions without an index map: everything (→ scalar), the rows of a 2-D tensor (axis 1)
 * and its columns (axis 0). Returns undefined for other patterns.
 */
function fastReduce(x: Tensor, axes: Set<number>, outShape: number[], factor: number, name: string): Tensor | undefined {
  const xd = x.data;
  if (axes.size === x.shape.length) {
    let total = 0;
    for (let i = 0; i < x.size; i++) total += xd[i]!;
    const out = Tensor.result(outputBufferOf(total * factor), outShape, [x], name);
    if (out.requiresGrad) {
      out.backwardFn = () => {
        const g = out.grad![0]! * factor, gx = x.gradBuffer();
        for (let i = 0; i < gx.length; i++) gx[i]! += g;
      };
    }
    return out;
  }
  if (x.shape.length !== 2 || axes.size !== 1) return undefined;
  const rows = x.shape[0]!, cols = x.shape[1]!;
  if (axes.has(1)) {
    const data = outputBuffer(rows);
    for (let i = 0; i < rows; i++) {
      let total = 0;
      for (let j = i * cols; j < (i + 1) * cols; j++) total += xd[j]!;
      data[i] = total * factor;
    }
    const out = Tensor.result(data, outShape, [x], name);
    if (out.requiresGrad) {
      out.backwardFn = () => {
        const g = out.grad!, gx = x.gradBuffer();
        for (let i = 0; i < rows; i++) {
          const gi = g[i]! * factor;
          for (let j = i * cols; j < (i + 1) * cols; j++) gx[j]! += gi;
        }
      };
    }
    return out;
  }
  const sums = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) sums[j]! += xd[i * cols + j]!;
  const data = outputBuffer(cols);
  for (let j = 0; j < cols; j++) data[j] = sums[j]! * factor;
  const out = Tensor.result(data, outShape, [x], name);
  if (out.requiresGrad) {
    out.backwardFn = () => {
      const g = out.grad!, gx = x.gradBuffer();
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) gx[i * cols + j]! += g[j]! * factor;
    };
  }
  return out;
}

function outputBufferOf(value: number): Float32Array {
  const data = outputBuffer(1);
  data[0] = value;
  return data;
}

/** Σ over `axis` (a number, a list, or all axes when omitted). */
export const sum = (x: Tensor, axis?: number | readonly number[], options: ReduceOptions = {}) => reduce(x, axis, options, false);
/** Mean over `axis` (a number, a list, or all axes when omitted). */
export const mean = (x: Tensor, axis?: number | readonly number[], options: ReduceOptions = {}) => reduce(x, axis, options, true);

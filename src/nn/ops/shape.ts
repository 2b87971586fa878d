/**
 * Shape ops: reshape, transpose (2-D), concat and slice along an axis, gather along the last axis
 * (column selection / permutation). Backward routes gradients back to the positions they came from.
 */
import { Tensor, outputBuffer, sizeOf } from "../tensor.ts";

function axisOf(shape: readonly number[], axis: number, what: string): number {
  const k = axis < 0 ? axis + shape.length : axis;
  if (!Number.isInteger(k) || k < 0 || k >= shape.length) throw new RangeError(`${what}: axis ${axis} out of range for shape [${shape.join(", ")}]`);
  return k;
}
/** [outer, axisLength, inner] view of a shape around `axis`. */
function split(shape: readonly number[], axis: number): [number, number, number] {
  return [shape.slice(0, axis).reduce((p, d) => p * d, 1), shape[axis]!, shape.slice(axis + 1).reduce((p, d) => p * d, 1)];
}

/** The same values with a new shape of equal size (copies, so later in-place updates cannot alias). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  if (sizeOf(shape) !== x.size) throw new RangeError(`reshape: cannot view [${x.shape.join(", ")}] as [${shape.join(", ")}]`);
  const out = Tensor.result(x.data.slice(), shape, [x], "reshape");
  if (out.requiresGrad) out.backwardFn = () => x.addGrad(out.grad!);
  return out;
}

/** The transpose of a 2-D tensor. */
export function transpose(x: Tensor): Tensor {
  const r = x.rows, c = x.cols;
  const data = outputBuffer(x.size);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[j * r + i] = x.data[i * c + j]!;
  const out = Tensor.result(data, [c, r], [x], "transpose");
  if (out.requiresGrad) {
    out.backwardFn = () => {
      const g = out.grad!, gx = x.gradBuffer();
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) gx[i * c + j]! += g[j * r + i]!;
    };
  }
  return out;
}

/** Joins tensors along `axis` (default: the last); all other dimensions must agree. */
export function concat(tensors: readonly Tensor[], axis = -1): Tensor {
  if (tensors.length === 0) throw new RangeError("concat: needs at least one tensor");
  const first = tensors[0]!;
  const k = axisOf(first.shape, axis, "concat");
  for (const t of tensors) {
    if (t.shape.length !== first.shape.length || t.shape.some((d, i) => i !== k && d !== first.shape[i])) {
      throw new RangeError(`concat: shape [${t.shape.join(", ")}] does not match [${first.shape.join(", ")}] outside axis ${k}`);
    }
  }
  const total = tensors.reduce((s, t) => s + t.shape[k]!, 0);
  const shape = first.shape.map((d, i) => (i === k ? total : d));
  const [outer, , inner] = split(shape, k);
  const data = outputBuffer(sizeOf(shape));
  const rowOut = total * inner;
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    const chunk = t.shape[k]! * inner;
    offsets.push(offset);
    for (let o = 0; o < outer; o++) data.set(t.data.subarray(o * chunk, (o + 1) * chunk), o * rowOut + offset);
    offset += chunk;
  }
  const out = Tensor.result(data, shape, tensors, "concat");
  if (out.requiresGrad) {
    out.backwardFn = () => {
      const g = out.grad!;
      tensors.forEach((t, n) => {
        if (!t.requiresGrad) return;
        const gt = t.gradBuffer();
        const chunk = t.shape[k]! * inner;
        for (let o = 0; o < outer; o++) {
          const src = o * rowOut + offsets[n]!, dst = o * chunk;
          for (let j = 0; j < chunk; j++) gt[dst + j]! += g[src + j]!;
        }
      });
    };
  }
  return out;
}

/** Elements start..end−1 along `axis` (like x[:, start:end] for axis 1). */
export function slice(x: Tensor, axis: number, start: number, end: number): Tensor {
  const k = axisOf(x.shape, axis, "slice");
  const length = x.shape[k]!;
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= length)) {
    throw new RangeError(`slice: range ${start}..${end} out of bounds for axis ${k} of length ${length}`);
  }
  const [outer, , inner] = split(x.shape, k);
  const shape = x.shape.map((d, i) => (i === k ? end - start : d));
  const chunk = (end - start) * inner, rowIn = length * inner;
  const data = outputBuffer(outer * chunk);
  for (let o = 0; o < outer; o++) data.set(x.data.subarray(o * rowIn + start * inner, o * rowIn + end * inner), o * chunk);
  const out = Tensor.result(data, shape, [x], "slice");
  if (out.requiresGrad) {
    out.backwardFn = () => {
      const g = out.grad!, gx = x.gradBuffer();
      for (let o = 0; o < outer; o++) {
        const dst = o * rowIn + start * inner, src = o * chunk;
        for (let j = 0; j < chunk; j++) gx[dst + j]! += g[src + j]!;
      }
    };
  }
  return out;
}

/**
 * Columns `indices` of x along the last axis, in that order (repeats allowed), like x[..., indices]:
 * column selection, and permutations between flow layers. Backward adds each column's gradient back.
 */
export function gatherColumns(x: Tensor, indices: readonly number[]): Tensor {
  const cols = x.shape[x.shape.length - 1];
  if (cols === undefined) throw new RangeError("gatherColumns: needs at least a 1-D tensor");
  for (const j of indices) if (!Number.isInteger(j) || j < 0 || j >= cols) throw new RangeError(`gatherColumns: column ${j} out of range 0..${cols - 1}`);
  const rows = x.size / cols, width = indices.length;
  const data = outputBuffer(rows * width);
  for (let i = 0; i < rows; i++) for (let c = 0; c < width; c++) data[i * width + c] = x.data[i * cols + indices[c]!]!;
  const out = Tensor.result(data, [...x.shape.slice(0, -1), width], [x], "gather_columns");
  if (out.requiresGrad) {
    out.backwardFn = () => {
      const g = out.grad!, gx = x.gradBuffer();
      for (let i = 0; i < rows; i++) for (let c = 0; c < width; c++) gx[i * cols + indices[c]!]! += g[i * width + c]!;
    };
  }
  return out;
}

/** Stop-gradient: the same values, cut from the graph (as torch's x.detach()). */
export function detach(x: Tensor): Tensor {
  return x.detach();
}

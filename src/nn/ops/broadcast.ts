/**
 * NumPy broadcasting for the binary ops: shapes are aligned from the right and a dimension of 1 (or a
 * missing one) stretches. `broadcastIndex` maps each output element to the input element it reads; the
 * backward pass uses the same map to sum gradients back over the stretched dimensions.
 */
export function broadcastShape(a: readonly number[], b: readonly number[], what: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`${what}: shapes [${a.join(", ")}] and [${b.join(", ")}] cannot be broadcast together`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** For each flat index of `outShape`, the flat index of the broadcast input of shape `inShape`. */
export function broadcastIndex(outShape: readonly number[], inShape: readonly number[]): Int32Array {
  const rank = outShape.length;
  const size = outShape.reduce((p, d) => p * d, 1);
  const map = new Int32Array(size);
  if (rank === 0 || size === 0) return map;
  // Input stride per output dimension (0 where the input is stretched).
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = rank - 1; i >= 0; i--) {
    const d = inShape[inShape.length - rank + i] ?? 1;
    strides[i] = d === 1 ? 0 : stride;
    stride *= d;
  }
  // The last dimension is written in a tight loop; a mixed-radix counter walks the outer dimensions.
  const last = outShape[rank - 1]!, lastStride = strides[rank - 1]!;
  const counter = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let base = 0; base < size; base += last) {
    for (let j = 0; j < last; j++) map[base + j] = offset + j * lastStride;
    for (let i = rank - 2; i >= 0; i--) {
      counter[i]++;
      offset += strides[i]!;
      if (counter[i]! < outShape[i]!) break;
      offset -= strides[i]! * counter[i]!;
      counter[i] = 0;
    }
  }
  return map;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

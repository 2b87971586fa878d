/**
 * A dense row-major float64 matrix: element (i, j) is data[i * cols + j]. Shared by stats, citest,
 * discovery and crl; the neural-network code uses Float32 tensors of its own (src/nn/).
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export function matrix(rows: number, cols: number, data?: Float64Array | number[]): Matrix {
  if (data && data.length !== rows * cols) {
    throw new RangeError(`matrix(${rows}, ${cols}) needs ${rows * cols} values, got ${data.length}`);
  }
  return { rows, cols, data: data ? Float64Array.from(data) : new Float64Array(rows * cols) };
}

/** Builds a matrix from an array of equal-length rows. */
export function fromRows(rows: ArrayLike<number>[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const out = matrix(rows.length, cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new RangeError(`row ${i} has ${r.length} values, expected ${cols}`);
    for (let j = 0; j < cols; j++) out.data[i * cols + j] = r[j]!;
  });
  return out;
}

/** Builds a matrix whose columns are the given vectors. */
export function fromColumns(columns: ArrayLike<number>[]): Matrix {
  const rows = columns[0]?.length ?? 0;
  const out = matrix(rows, columns.length);
  columns.forEach((c, j) => {
    if (c.length !== rows) throw new RangeError(`column ${j} has ${c.length} values, expected ${rows}`);
    for (let i = 0; i < rows; i++) out.data[i * columns.length + j] = c[i]!;
  });
  return out;
}

export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j]!;
  return out;
}

export function get(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j]!;
}

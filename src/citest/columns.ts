/**
 * Shared input checks and column access for the CI tests. A test's query function receives column
 * indices; errors name the columns (by name when the caller passed `columnNames`) and say what to do.
 */
import { ComputeError, DegenerateDataError } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";

/** Fewer rows than this after dropping missing values and a test refuses to run. */
export const MIN_ROWS = 5;

export interface PrepareContext {
  /** Names of the data columns, for error messages. */
  columnNames?: readonly string[];
}

export function columnLabel(j: number, context?: PrepareContext): string {
  const name = context?.columnNames?.[j];
  return name !== undefined ? `"${name}"` : `column ${j}`;
}

export function pairLabel(x: number, y: number, z: readonly number[], context?: PrepareContext): string {
  const base = `${columnLabel(x, context)} ⫫ ${columnLabel(y, context)}`;
  return z.length ? `${base} | ${z.map((j) => columnLabel(j, context)).join(", ")}` : base;
}

/** Column j as a new Float64Array. */
export function getColumn(data: Matrix, j: number): Float64Array {
  const out = new Float64Array(data.rows);
  for (let i = 0; i < data.rows; i++) out[i] = data.data[i * data.cols + j]!;
  return out;
}

/**
 * The same checks as `checkQuery`, with each column scanned once per dataset instead of once per query:
 * a prepared test that answers many queries (PC) keeps one checker. The per-query part is a few
 * integer comparisons; labels are built only when something is wrong, and the error is the very one
 * `checkQuery` would throw.
 */
export class ColumnChecker {
  /** Per column: −2 unchecked, −1 fine, else the row of its first non-finite value. */
  private readonly badRow: Float64Array;
  private readonly constant: Uint8Array;

  constructor(private readonly test: string, private readonly data: Matrix, private readonly context: PrepareContext | undefined,
    private readonly nonConstant = true) {
    this.badRow = new Float64Array(data.cols).fill(-2);
    this.constant = new Uint8Array(data.cols);
  }

  check(x: number, y: number, z: readonly number[]): void {
    const cols = this.data.cols;
    let ok = Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x < cols && y < cols && x !== y && this.data.rows >= MIN_ROWS;
    for (let k = 0; ok && k < z.length; k++) {
      const j = z[k]!;
      ok = Number.isInteger(j) && j >= 0 && j < cols && j !== x && j !== y;
    }
    ok = ok && this.columnOk(x) && this.columnOk(y);
    for (let k = 0; ok && k < z.length; k++) ok = this.columnOk(z[k]!);
    // Only a failing query pays for the full message.
    if (!ok) checkQuery(this.test, this.data, x, y, z, this.context, { nonConstant: this.nonConstant });
  }

  private columnOk(j: number): boolean {
    if (this.badRow[j] === -2) {
      const { rows, cols, data } = this.data;
      const first = data[j]!;
      let bad = -1, constant = 1;
      for (let i = 0; i < rows; i++) {
        const v = data[i * cols + j]!;
        if (!Number.isFinite(v)) { bad = i; break; }
        if (v !== first) constant = 0;
      }
      this.badRow[j] = bad;
      this.constant[j] = bad < 0 ? constant : 0;
    }
    return this.badRow[j] === -1 && !(this.nonConstant && this.constant[j] === 1);
  }
}

/**
 * Checks the columns a query uses: a known index, finite values, enough rows, and (when `nonConstant`)
 * more than one distinct value. Throws ComputeError naming the test, the pair and the fix.
 */
export function checkQuery(
  test: string,
  data: Matrix,
  x: number,
  y: number,
  z: readonly number[],
  context: PrepareContext | undefined,
  options: { nonConstant?: boolean } = {},
): void {
  const label = pairLabel(x, y, z, context);
  for (const j of [x, y, ...z]) {
    if (!Number.isInteger(j) || j < 0 || j >= data.cols) {
      throw new ComputeError(`${test} ${label}: column index ${j} is outside 0..${data.cols - 1}`);
    }
  }
  if (x === y || z.includes(x) || z.includes(y)) {
    throw new ComputeError(`${test} ${label}: x, y and the conditioning set must be different columns`);
  }
  if (data.rows < MIN_ROWS) {
    throw new DegenerateDataError(
      `${test} ${label}: only ${data.rows} complete rows (at least ${MIN_ROWS} are needed)`,
      "use columns with fewer missing values, or more rows",
    );
  }
  for (const j of [x, y, ...z]) {
    const first = data.data[j]!;
    let constant = true;
    for (let i = 0; i < data.rows; i++) {
      const v = data.data[i * data.cols + j]!;
      if (!Number.isFinite(v)) {
        throw new DegenerateDataError(
          `${test} ${label}: ${columnLabel(j, context)} has a non-finite value (${v}) in row ${i + 1}`,
          "drop rows with missing or non-numeric values before testing (the matrix runner does this per pair)",
        );
      }
      if (v !== first) constant = false;
    }
    if (options.nonConstant !== false && constant) {
      throw new DegenerateDataError(
        `${test} ${label}: ${columnLabel(j, context)} is constant (every complete row has the value ${first})`,
        "a constant column carries no information; leave it out of the test",
      );
    }
  }
}

/**
 * Level I cells of the cheap tests (fisherz, chisq, gsq) straight from the table's columns, without
 * building a per-cell matrix. A matrix tests every trait against every feature, so each column is
 * coded once per matrix (np.unique codes over its non-missing values) and a cell only walks its two
 * columns: the pairwise `dropna()` of the reference notebooks becomes "both codes present", and the
 * pair's own np.unique codes are the global codes re-ranked by counting which occur (order preserved).
 *
 * The arithmetic is the registry tests' own (contingency.ts `tableResult`, fisherz.ts
 * `fisherzFromCorrelation` after np.corrcoef's sums in the same order), so a cell equals `runCell`'s
 * bit for bit (test/citest/level1-fast.test.ts). Anything unusual (too few rows, a constant or
 * non-finite column, a huge table) returns undefined and the caller takes the general path, which
 * produces the error message.
 */
import { uniqueCodes } from "../stats/descriptive.ts";
import { MIN_ROWS } from "./columns.ts";
import { ContingencyOptions, tableResult } from "./contingency.ts";
import { fisherzFromCorrelation } from "./fisherz.ts";
import type { NumericTable } from "./table.ts";
import type { CiResult } from "./types.ts";

interface ColumnCodes {
  /** Code of each row's value among the column's distinct values (ascending); −1 = missing. */
  codes: Int32Array;
  cardinality: number;
}

const MAX_TABLE_CELLS = ContingencyOptions.parse({}).maxTableCells;

/** Column data shared by the cells of one matrix run. */
export class Level1Columns {
  private readonly coded = new Map<string, ColumnCodes | null>();

  constructor(readonly table: NumericTable) {}

  /** Global codes of a column, or null when it holds ±Infinity (the general path reports that). */
  codes(name: string): ColumnCodes | null {
    let c = this.coded.get(name);
    if (c === undefined) {
      const values = this.table.columns.get(name)!;
      const n = values.length;
      const present = new Float64Array(n);
      let m = 0, finite = true;
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        if (v !== v) continue; // NaN = missing
        if (v === Infinity || v === -Infinity) { finite = false; break; }
        present[m++] = v;
      }
      if (!finite) c = null;
      else {
        const u = uniqueCodes(present.subarray(0, m));
        const codes = new Int32Array(n);
        let at = 0;
        for (let i = 0; i < n; i++) codes[i] = values[i]! !== values[i]! ? -1 : u.codes[at++]!;
        c = { codes, cardinality: u.levels.length };
      }
      this.coded.set(name, c);
    }
    return c;
  }
}

/** Level I fast paths of the cheap tests; the registry (registry.ts) attaches each to its test. */
export const chisqCell = (columns: Level1Columns, row: string, col: string) => contingencyCell(columns, "chisq", row, col);
export const gsqCell = (columns: Level1Columns, row: string, col: string) => contingencyCell(columns, "gsq", row, col);

function contingencyCell(columns: Level1Columns, kind: "chisq" | "gsq", row: string, col: string): CiResult | undefined {
  const a = columns.codes(row), b = columns.codes(col);
  if (!a || !b) return undefined;
  const ca = a.codes, cb = b.codes;
  const usedA = new Int32Array(a.cardinality), usedB = new Int32Array(b.cardinality);
  let n = 0;
  for (let i = 0; i < ca.length; i++) {
    const u = ca[i]!, v = cb[i]!;
    if (u < 0 || v < 0) continue;
    n++;
    usedA[u] = 1;
    usedB[v] = 1;
  }
  if (n < MIN_ROWS) return undefined;
  // The pair's np.unique codes: ranks among the values that occur in its complete rows.
  let kx = 0, ky = 0;
  for (let k = 0; k < usedA.length; k++) usedA[k] = usedA[k]! ? kx++ : -1;
  for (let k = 0; k < usedB.length; k++) usedB[k] = usedB[k]! ? ky++ : -1;
  if (kx * ky > MAX_TABLE_CELLS) return undefined;
  const xc = new Int32Array(n), yc = new Int32Array(n);
  let at = 0;
  for (let i = 0; i < ca.length; i++) {
    const u = ca[i]!, v = cb[i]!;
    if (u < 0 || v < 0) continue;
    xc[at] = usedA[u]!;
    yc[at++] = usedB[v]!;
  }
  // The general path tests (x, y) = (row, col) as columns 0 and 1, already in causal-learn's order.
  return tableResult(kind, null, 1, xc, yc, kx, ky, n, false, () => [kx, ky]);
}

/** np.corrcoef of the pair's complete rows with correlationMatrix's operation order, then the shared test. */
export function fisherzCell(columns: Level1Columns, row: string, col: string): CiResult | undefined {
  const x = columns.table.columns.get(row)!, y = columns.table.columns.get(col)!;
  const rows = x.length;
  let n = 0, sx = 0, sy = 0, fx = NaN, fy = NaN, varyX = false, varyY = false;
  for (let i = 0; i < rows; i++) {
    const a = x[i]!, b = y[i]!;
    if (a !== a || b !== b) continue;
    if (n === 0) { fx = a; fy = b; }
    if (a !== fx) varyX = true;
    if (b !== fy) varyY = true;
    sx += a;
    sy += b;
    n++;
  }
  // Too few rows, a constant column, or ±Infinity (a NaN sum): the general path explains.
  if (n < MIN_ROWS || !varyX || !varyY || !Number.isFinite(sx) || !Number.isFinite(sy)) return undefined;
  const mx = sx / n, my = sy / n;
  let cxx = 0, cxy = 0, cyy = 0;
  for (let i = 0; i < rows; i++) {
    const a = x[i]!, b = y[i]!;
    if (a !== a || b !== b) continue;
    const da = a - mx, db = b - my;
    cxx += da * da;
    cxy += da * db;
    cyy += db * db;
  }
  const sdx = Math.sqrt(cxx / (n - 1)), sdy = Math.sqrt(cyy / (n - 1));
  const clamp = (r: number) => Math.max(-1, Math.min(1, r));
  const rxy = clamp(cxy / (n - 1) / sdx / sdy);
  const corr = Float64Array.of(clamp(cxx / (n - 1) / sdx / sdx), rxy, rxy, clamp(cyy / (n - 1) / sdy / sdy));
  return fisherzFromCorrelation(corr, 2, n, 0, 1, [], { columnNames: [row, col] });
}

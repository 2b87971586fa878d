/**
 * Numeric tables for the CI tests: named Float64Array columns (NaN = missing), CSV text to such a table
 * (through the project's one CSV reader, src/dataset/csv.ts), and the per-pair missing-value drop of the reference
 * notebooks (`df[[row, col]].dropna()`).
 */
import { readFileSync } from "node:fs";
import { DataError } from "../errors.ts";
import { parseCsvRecords } from "../dataset/csv.ts";
import { fromColumns, matrix, type Matrix } from "../linalg/matrix.ts";

export interface NumericTable {
  /** Where the table came from (file path or a label), for error messages. */
  source: string;
  names: string[];
  columns: Map<string, Float64Array>;
  rows: number;
}

/** Parses CSV text (RFC 4180 quoting, header row). An empty field is NaN; other non-numbers are a DataError. */
export function parseCsvTable(text: string, source: string, wanted?: readonly string[]): NumericTable {
  const records = parseCsvRecords(text).records;
  if (records.length === 0) throw new DataError(source, 0, undefined, "the file is empty", "give a CSV with a header row");
  const header = records[0]!.map((h) => h.trim());
  const names = wanted ? [...wanted] : header;
  const index = names.map((name) => {
    const at = header.indexOf(name);
    if (at < 0) {
      throw new DataError(source, 1, name, `no such column; the header has: ${header.join(", ")}`, "check the spelling of --rows/--cols");
    }
    return at;
  });
  const rows = records.length - 1;
  const columns = new Map<string, Float64Array>();
  names.forEach((name, c) => {
    const out = new Float64Array(rows);
    const at = index[c]!;
    for (let r = 0; r < rows; r++) {
      const field = (records[r + 1]![at] ?? "").trim();
      if (field === "" || field === "NA" || field === "NaN" || field === "nan") { out[r] = Number.NaN; continue; }
      const v = Number(field);
      if (Number.isNaN(v)) {
        throw new DataError(source, r + 2, name, `"${field}" is not a number`,
          "CI tests need numeric columns; encode categories as integer codes (e.g. Occupation_idx)");
      }
      out[r] = v;
    }
    columns.set(name, out);
  });
  return { source, names, columns, rows };
}

export function readCsvTable(path: string, wanted?: readonly string[]): NumericTable {
  return parseCsvTable(readFileSync(path, "utf8"), path, wanted);
}

/** The rows where every named column is present, as an n × k matrix (column order = `names`). */
export function completeRows(table: NumericTable, names: readonly string[]): Matrix {
  const cols = names.map((name) => {
    const c = table.columns.get(name);
    if (!c) throw new DataError(table.source, 0, name, "no such column", `available: ${table.names.join(", ")}`);
    return c;
  });
  let n = 0;
  const keep = new Uint8Array(table.rows);
  for (let r = 0; r < table.rows; r++) {
    let ok = 1;
    for (const c of cols) if (Number.isNaN(c[r]!)) { ok = 0; break; }
    keep[r] = ok;
    n += ok;
  }
  const out = matrix(n, names.length);
  let i = 0;
  for (let r = 0; r < table.rows; r++) {
    if (!keep[r]) continue;
    for (let j = 0; j < cols.length; j++) out.data[i * cols.length + j] = cols[j]![r]!;
    i++;
  }
  return out;
}

/** A dataset table as readTable() returns it (src/dataset/read-table.ts), described by shape. */
export interface ColumnTable {
  names: string[];
  /** Numeric columns as Float64Array (missing = NaN), any other column as strings. */
  columns: Record<string, Float64Array | string[]>;
  nRows: number;
}

/** Whether a table is a readTable() result rather than a NumericTable or a Matrix. */
export function isColumnTable(value: object): value is ColumnTable {
  return "nRows" in value && "columns" in value && !((value as { columns: unknown }).columns instanceof Map);
}

/**
 * Adapts a dataset table (src/dataset/read-table.ts: numeric columns as Float64Array, others as strings)
 * to the CI tests' numeric table. Asking for a text column is a DataError that says how to fix it.
 */
export function numericTableFrom(table: ColumnTable, source: string, wanted: readonly string[]): NumericTable {
  const columns = new Map<string, Float64Array>();
  for (const name of table.names) {
    const c = table.columns[name];
    if (c instanceof Float64Array) columns.set(name, c);
  }
  for (const name of wanted) {
    if (!(name in table.columns)) {
      throw new DataError(source, 0, name, `no such column; available: ${table.names.join(", ")}`, "check --rows/--cols");
    }
    const c = table.columns[name];
    if (!(c instanceof Float64Array)) {
      const bad = (c as string[]).findIndex((v) => v !== "" && Number.isNaN(Number(v)));
      throw new DataError(source, bad >= 0 ? bad + 2 : 0, name,
        `is not numeric${bad >= 0 ? ` ("${(c as string[])[bad]}")` : ""}`,
        "CI tests need numbers: use the integer-coded column (e.g. Occupation_idx) or encode the categories");
    }
  }
  return { source, names: table.names.filter((n) => columns.has(n)), columns, rows: table.nRows };
}

/**
 * The named numeric columns of a dataset table as an n × k matrix (missing values stay NaN), for PC; by
 * default every numeric column. A text column is a DataError that says how to fix it.
 */
export function numericMatrixFrom(table: ColumnTable, source: string, wanted?: readonly string[]): { names: string[]; data: Matrix } {
  const names = wanted ? [...wanted] : table.names.filter((n) => table.columns[n] instanceof Float64Array);
  const numeric = numericTableFrom(table, source, names);
  return { names, data: fromColumns(names.map((name) => numeric.columns.get(name)!)) };
}

/**
 * readTable: loads an analysis table (one row per person, named columns) from a PersonaX store, a CSV
 * file or a Parquet file. Level I and PC use it, so a released CSV, a synthetic table and a store give the
 * same column names (the released layout, see layout.ts).
 */
import { existsSync, statSync } from "node:fs";
import { extname } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { readCsvFile } from "./csv.ts";
import { DataError, UsageError } from "../errors.ts";
import { openStore, firstLine, Store } from "./store.ts";
import { chooseFlavour, planWide } from "./wide.ts";
import { lit } from "./layout.ts";
import { isHfPath, resolveHfPath } from "./hf-path.ts";
import type { Flavour } from "./schema.ts";

export interface Table {
  /** Column names in file (or layout) order. Rows: file order, or for a store by id (numeric ids numerically). */
  names: string[];
  /** Numeric columns as Float64Array (missing = NaN); any other column as strings (missing = ""). */
  columns: Record<string, Float64Array | string[]>;
  nRows: number;
}

export interface ReadTableOptions {
  /** Only these columns, in this order. An unknown name is an error that lists the available ones. */
  columns?: string[];
  /** For a store holding both datasets: which one (default: the only one present). */
  flavour?: Flavour;
  /**
   * Every column as strings, as written in the file (no number detection, missing = ""): for ids, names and
   * paths, where "007" must stay "007".
   */
  text?: boolean;
}

/** A plain decimal number as pandas/JavaScript would read it (no hex, no "Infinity", no blanks). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads a table from a store (`Store` or a `.duckdb` path), a `.csv` (empty field = NaN; numbers parsed
 * with JavaScript's correctly rounded `Number()`, as the fixtures assume) or a `.parquet` file.
 */
export async function readTable(source: Store | string, options: ReadTableOptions = {}): Promise<Table> {
  if (source instanceof Store) return readStoreTable(source, options);
  if (isHfPath(source)) return readHfTable(source, options);
  const ext = extname(source).toLowerCase();
  if (!existsSync(source)) throw new DataError(source, 0, undefined, "no such file", "check the path");
  if (ext === ".duckdb" || ext === ".db") {
    const store = await openStore(source, { readOnly: true });
    try { return await readStoreTable(store, options, source); } finally { store.close(); }
  }
  if (ext !== ".csv" && ext !== ".parquet" && ext !== ".tsv") {
    throw new UsageError(`cannot read ${source}: unknown extension "${ext}"`, "pass a .csv, .parquet or .duckdb file");
  }
  if (statSync(source).size === 0) throw new DataError(source, 1, undefined, "the file is empty", "write a header row and at least one data row");
  if (ext === ".parquet") return readParquetFiles([source], source, options);
  const csv = await readCsvFile(source);
  if (!csv.rows.length) {
    throw new DataError(source, 2, undefined, "the file has a header but no data rows", "add at least one row of data below the header");
  }
  const columns = csv.header.map((_, j) => csv.rows.map((row) => row[j]!));
  return toTable(csv.header, columns, csv.header.map(() => "VARCHAR"), csv.rows.length, options, source, (values, _type, name) => fromText(values as string[], name, source, csv.lines));
}

/** hf://datasets/OWNER/NAME[@rev]/path-or-glob: the matching files, from the Hub cache (downloaded if missing). */
async function readHfTable(source: string, options: ReadTableOptions): Promise<Table> {
  const { files } = await resolveHfPath(source);
  const kinds = new Set(files.map((f) => extname(f).toLowerCase()));
  if (kinds.size === 1 && kinds.has(".parquet")) return readParquetFiles(files, source, options);
  if (files.length === 1) return readTable(files[0]!, options);
  throw new UsageError(`${source} matches ${files.length} files that are not all Parquet`, "name one file, or a glob of Parquet files");
}

async function readParquetFiles(files: string[], source: string, options: ReadTableOptions): Promise<Table> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    let reader;
    try {
      reader = await connection.runAndReadAll(`SELECT * FROM read_parquet([${files.map(lit).join(", ")}])`);
    } catch (error) {
      throw new DataError(source, 0, undefined, `cannot read: ${firstLine(error instanceof Error ? error.message : String(error))}`,
        "re-export the Parquet file; it may be truncated");
    }
    return toTable(reader.columnNames(), reader.getColumnsJS(), reader.columnTypes().map(String), reader.currentRowCount, options, source, fromTyped);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function readStoreTable(store: Store, options: ReadTableOptions, label = store.path): Promise<Table> {
  const plan = await planWide(store, await chooseFlavour(store, options.flavour, label));
  const reader = await store.connection.runAndReadAll(plan.sql);
  return toTable(reader.columnNames(), reader.getColumnsJS(), reader.columnTypes().map(String), reader.currentRowCount, options, label, fromTyped);
}

/** The selected columns of a DuckDB result, converted (or as text with options.text). */
function toTable(names: string[], raw: unknown[][], types: string[], nRows: number, options: ReadTableOptions, source: string,
  convert: (values: unknown[], type: string, name: string) => Float64Array | string[]): Table {
  const table: Table = { names: [], columns: {}, nRows };
  for (const name of selectNames(names, options.columns, source)) {
    const i = names.indexOf(name);
    table.names.push(name);
    table.columns[name] = options.text ? asText(raw[i]!) : convert(raw[i]!, types[i]!, name);
  }
  return table;
}

function selectNames(available: string[], wanted: string[] | undefined, source: string): string[] {
  if (!wanted) return available;
  for (const name of wanted) {
    if (!available.includes(name)) {
      throw new DataError(source, 1, name, "no such column", `use one of: ${available.join(", ")}`);
    }
  }
  return wanted;
}

/** A CSV column: numbers when every present value is one (missing: empty, NaN, NA), text otherwise. */
function fromText(values: string[], name: string, source: string, lines: number[]): Float64Array | string[] {
  {
    let numeric = true;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!.trim();
      if (v === "" || MISSING.has(v) || NUMBER.test(v)) continue;
      if (NON_FINITE.test(v)) {
        throw new DataError(source, lines[i]!, name, `"${v}" is not a finite number`, "write a finite number, or leave the field empty if the value is unknown");
      }
      numeric = false;
    }
    if (!numeric) return values;
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!.trim();
      out[i] = v === "" || MISSING.has(v) ? NaN : Number(v);
    }
    return out;
  }
}

const MISSING = new Set(["NaN", "nan", "NA"]);
const NON_FINITE = /^[+-]?(inf|infinity)$/i;

const NUMERIC_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;

function fromTyped(values: unknown[], type: string): Float64Array | string[] {
  if (NUMERIC_TYPES.test(type)) {
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = values[i] === null ? NaN : Number(values[i]);
    return out;
  }
  return asText(values);
}

function asText(values: unknown[]): string[] {
  return values.map((v) => (v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v)));
}


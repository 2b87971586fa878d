/**
 * Import stage 1: find out what `--file` is (a CSV/TSV, JSON, Parquet file, or a Hugging Face export folder
 * of Parquet shards) and stage it, as it is, in the store table `_personax_import_src` (inside the import's
 * transaction). Later stages read only that table.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { ComputeError, DataError, UsageError } from "../errors.ts";
import { checkCsvHeader, csvDelimiterFor, findCsvProblem, readCsvHeader } from "./csv.ts";
import { lit, q } from "./layout.ts";
import { firstLine, type Store } from "./store.ts";

export type SourceKind = "csv" | "json" | "parquet";

export interface ImportSource {
  /** The path as the user gave it (for messages). */
  file: string;
  kind: SourceKind;
  /** Files DuckDB reads: the file itself, or the shards of an HF export folder. */
  paths: string[];
  /** Row of the header in the file (CSV: 1; JSON/Parquet: 0 = no header row). */
  headerRow: number;
  /** Row of the first record in the file. */
  firstDataRow: number;
}

export const STAGING_TABLE = "_personax_import_src";

export interface StagedSource {
  source: ImportSource;
  /** Column names as staged (the file's header). */
  header: string[];
  /** DuckDB type of each staged column. */
  types: Map<string, string>;
  nRows: number;
  /** SQL for a staged row's 0-based position in the file. */
  rowNumber: string;
  /** SQL for a column as trimmed text, NULL when missing (empty, NaN, NA, null, None). */
  value(column: string): string;
}

/**
 * Checks that `file` exists and has a known kind; nothing is read into the store yet. `files`: Parquet files
 * read as one table (a Hub download; `file` is then their folder).
 */
export function inspectSource(file: string, files?: string[]): ImportSource {
  if (!existsSync(file)) throw new DataError(file, 0, undefined, "no such file", "check the path");
  if (files?.length) return { file, kind: "parquet", paths: files, headerRow: 0, firstDataRow: 1 };
  // A directory is a Hugging Face export: read all of its data/train-*.parquet shards as one table.
  if (statSync(file).isDirectory()) return { file, kind: "parquet", paths: hfShards(file), headerRow: 0, firstDataRow: 1 };
  const kind = fileKind(file);
  if (statSync(file).size === 0) {
    throw new DataError(file, 1, undefined, "the file is empty", kind === "csv" ? "write a header row and at least one data row" : "re-export the file; it has no content");
  }
  return { file, kind, paths: [file], headerRow: kind === "csv" ? 1 : 0, firstDataRow: kind === "csv" ? 2 : 1 };
}

const MISSING_TOKENS = ["NaN", "nan", "NA", "null", "NULL", "None"];
/**
 * The column as trimmed text, NULL when missing (empty, NaN, NA, null). A chain of nullif() rather than
 * `IN (…)`: with 40 columns the IN lists made DuckDB's CSV staging run out of a 256 MB memory limit.
 */
export const normalized = (column: string): string =>
  MISSING_TOKENS.reduce((e, t) => `nullif(${e}, '${t}')`, `nullif(trim(CAST(${q(column)} AS VARCHAR)), '')`);

/**
 * Reads the source into the staging table. Staging tables are ordinary tables created inside the import's
 * transaction: unlike TEMP tables, DuckDB can write their uncommitted rows to the store file under a memory
 * limit; a rollback removes them, and the import drops them before its commit. CSV fields are normalised once
 * while staging (trimmed; "", NaN, NA, null → NULL); typed Parquet/JSON columns (lists, structs) are staged as
 * they are. A header-only file is an error naming row 2.
 */
export async function stageSource(store: Store, source: ImportSource): Promise<StagedSource> {
  const { file, kind, paths } = source;
  const delimiter = csvDelimiterFor(file);
  if (kind === "csv") checkCsvHeader(await readCsvHeader(file, delimiter), file, delimiter);
  const reader = kind === "csv"
    ? `read_csv(${lit(file)}, header = true, all_varchar = true, delim = ${lit(delimiter)}, quote = '"', escape = '"', null_padding = false)`
    : kind === "parquet" ? `read_parquet([${paths.map(lit).join(", ")}])` : `read_json_auto(${lit(file)})`;
  try {
    const columns = kind === "csv"
      ? (await store.query<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader}`)).map((d) => `${normalized(d.column_name)} AS ${q(d.column_name)}`).join(", ")
      : "*";
    await store.connection.run(`CREATE TABLE ${STAGING_TABLE} AS SELECT ${columns} FROM ${reader}`);
  } catch (error) {
    throw await readError(file, kind, delimiter, error);
  }
  const described = await store.query<{ column_name: string; column_type: string }>(`DESCRIBE ${STAGING_TABLE}`);
  // Rows written inside an open transaction get row ids from a large offset, so the row number in the file is
  // rowid minus the smallest rowid (the staging insert keeps file order: preserve_insertion_order).
  const [{ n: nRows, base } = { n: 0, base: 0 }] = await store.query<{ n: number; base: number | bigint | null }>(
    `SELECT count(*) AS n, min(rowid) AS base FROM ${STAGING_TABLE}`);
  if (nRows === 0) {
    throw new DataError(file, source.firstDataRow, undefined, "the file has a header but no data rows", "add at least one row of data below the header");
  }
  return {
    source,
    header: described.map((d) => d.column_name),
    types: new Map(described.map((d) => [d.column_name, d.column_type])),
    nRows,
    rowNumber: `(rowid - ${String(base ?? 0)})`,
    value: kind === "csv" ? (column: string) => q(column) : normalized,
  };
}

function hfShards(dir: string): string[] {
  const data = existsSync(join(dir, "data")) ? join(dir, "data") : dir;
  const files = readdirSync(data).filter((f) => f.endsWith(".parquet")).sort().map((f) => join(data, f));
  if (!files.length) {
    throw new DataError(dir, 0, undefined, "no Parquet files in this folder or its data/ folder", "point --file at a Hugging Face export (personax export --hf DIR) or at a single file");
  }
  return files;
}

function fileKind(file: string): SourceKind {
  const ext = extname(file).toLowerCase();
  if (ext === ".csv" || ext === ".tsv") return "csv";
  if (ext === ".json" || ext === ".jsonl" || ext === ".ndjson") return "json";
  if (ext === ".parquet") return "parquet";
  throw new UsageError(`cannot import ${file}: unknown extension "${ext}"`, "pass a .csv, .tsv, .json, .jsonl or .parquet file");
}

/** Turns a DuckDB reader error into a DataError naming the real problem and its row (CSV: found by scanning the file). */
async function readError(file: string, kind: SourceKind, delimiter: string, error: unknown): Promise<Error> {
  const message = error instanceof Error ? error.message : String(error);
  if (/Out of Memory/i.test(message)) {
    return new ComputeError(`the import ran out of memory: ${firstLine(message)}`,
      "raise the store's memory limit (personax import --memory-limit 2GB) or import the file in parts");
  }
  if (kind === "parquet") {
    return new DataError(file, 0, undefined, `not a readable Parquet file (${firstLine(message)})`,
      "the file is truncated or not Parquet: copy it again or re-export it");
  }
  if (kind === "csv") {
    // DuckDB's messages guess (a ragged row can be reported as bad UTF-8): the file scan names the real problem.
    const problem = await findCsvProblem(file, delimiter);
    if (problem) return new DataError(file, problem.row, problem.column, problem.problem, problem.fix);
  }
  const line = Number(/Line: (\d+)/.exec(message)?.[1] ?? 0);
  return new DataError(file, line, undefined, `cannot be read as ${kind.toUpperCase()}: ${firstLine(message)}`,
    kind === "csv" ? "save it as comma-separated UTF-8 text with a header row" : "save it as a JSON array of objects or as JSON lines");
}

/**
 * Imports a table of persons into a store: the released CelebPersona / AthlePersona layouts (and their
 * Hugging Face export), or the store's own `persons` columns, from CSV, JSON or Parquet.
 *
 * Streaming: DuckDB reads the file (its own CSV/JSON/Parquet readers) into a temporary table that spills
 * to disk under its memory limit; every check is a SQL aggregate over that table, never a JS object per
 * row, so a 1,000,000-row file imports in bounded memory (bench/import.bench.ts measures it).
 * Atomic: everything happens in one transaction; any error rolls it back and leaves the store as before.
 */
import { existsSync, statSync, openSync, readSync, closeSync, readdirSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { ComputeError, ConfigError, DataError, UsageError } from "../errors.ts";
import { firstLine, type Store } from "./store.ts";
import { readJsonFile } from "./json-file.ts";
import { aggregateFinalScoreSql } from "./aggregate.ts";
import { FINAL_NAMES, LAYOUTS, lit, llmScoreName, parseLlmScoreName, q, type LayoutColumn } from "./layout.ts";
import {
  CATEGORICAL_VARIABLES, DEFAULT_PROTOCOL, FACE_COLUMNS, FINAL_COLUMNS, PERSON_COLUMNS, TABLE_KEYS, TRAITS, type CategoryRow, type Flavour,
} from "./schema.ts";
import type { ProgressCallback } from "../util/progress.ts";

export const IMPORT_FORMATS = ["auto", "celeb", "athle", "persons"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Source column → target name (a layout name such as "Height(cm)"), or null to ignore the column. */
export type ColumnMapping = Record<string, string | null>;

export interface ImportOptions {
  /** "auto" (default) recognises the layout from the header. */
  format?: ImportFormat;
  mapping?: ColumnMapping;
  /** Where `mapping` came from, for error messages. */
  mappingFile?: string;
  /** Overwrite persons whose id is already in the store (with all their rows); default: error. */
  replace?: boolean;
  /** Protocol recorded for per-LLM score columns (default Number-L3-Inc, or the one in the file's metadata). */
  protocol?: string;
  /** Category dictionaries to store with the persons. */
  categories?: CategoryRow[];
  /** Parquet files read as one table instead of `file` (a Hub download; `file` is then its folder). */
  files?: string[];
  onProgress?: ProgressCallback;
}

export interface ImportResult {
  file: string;
  format: Exclude<ImportFormat, "auto">;
  flavours: Flavour[];
  persons: number;
  faceAttributes: number;
  assessments: number;
  finals: number;
  embeddings: number;
  runId: number;
}

/** Metadata that exportHf writes into its Parquet files (key "personax") and importFile reads back. */
export interface HfMetadata {
  flavour: Flavour;
  protocol: string | null;
  embeddings: Array<{ column: string; kind: "face" | "text"; measurement: number; model: string }>;
  categories: CategoryRow[];
}

const MISSING_TOKENS = ["NaN", "nan", "NA", "null", "NULL", "None"];
/**
 * The column as trimmed text, NULL when missing (empty, NaN, NA, null). A chain of nullif() rather than
 * `IN (…)`: with 40 columns the IN lists made DuckDB's CSV staging run out of a 256 MB memory limit.
 */
const normalized = (column: string) => MISSING_TOKENS.reduce((e, t) => `nullif(${e}, '${t}')`, `nullif(trim(CAST(${q(column)} AS VARCHAR)), '')`);

interface Check {
  column: string;
  /** SQL condition true on a bad row, over the staged table. */
  bad: string;
  problem: (value: string) => string;
  fix: string;
}

/** Reads `file` into the store. See the module comment for the guarantees. */
export async function importFile(store: Store, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const progress = options.onProgress ?? (() => undefined);
  if (!existsSync(file)) throw new DataError(file, 0, undefined, "no such file", "check the path");
  // A directory is a Hugging Face export: read all of its data/train-*.parquet shards as one table.
  const shards = options.files ?? (statSync(file).isDirectory() ? hfShards(file) : undefined);
  const kind = shards ? "parquet" : fileKind(file);
  if (!shards && statSync(file).size === 0) {
    throw new DataError(file, 1, undefined, "the file is empty", kind === "csv" ? "write a header row and at least one data row" : "re-export the file; it has no content");
  }
  const firstDataRow = kind === "csv" ? 2 : 1;
  const headerRow = kind === "csv" ? 1 : 0;
  const name = file;
  const conn = store.connection;
  const STEPS = 4;
  progress(0, STEPS, "reading");

  return store.transaction(async () => {
    // 1. Stage the file as it is (text for CSV, so that type problems can be reported with their row).
    const reader = kind === "csv"
      ? `read_csv(${lit(file)}, header = true, all_varchar = true, delim = ${lit(extname(file).toLowerCase() === ".tsv" ? "\t" : ",")}, quote = '"', escape = '"', null_padding = false)`
      : kind === "parquet" ? `read_parquet([${(shards ?? [file]).map(lit).join(", ")}])` : `read_json_auto(${lit(file)})`;
    // Staging tables are ordinary tables created inside the import's transaction: unlike TEMP tables, DuckDB can
    // write their uncommitted rows to the store file under a memory limit; a rollback removes them, and they are
    // dropped before the commit. CSV fields are normalised once while staging (trimmed; "", NaN, NA, null → NULL), so every later check
    // reads plain columns; typed Parquet/JSON columns (lists, structs) are staged as they are.
    const text = kind === "csv" ? (column: string) => q(column) : normalized;
    try {
      const columns = kind === "csv"
        ? (await store.query<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader}`)).map((d) => `${normalized(d.column_name)} AS ${q(d.column_name)}`).join(", ")
        : "*";
      await conn.run(`CREATE TABLE _personax_import_src AS SELECT ${columns} FROM ${reader}`);
    } catch (error) {
      throw await readError(file, kind, error);
    }
    const described = await store.query<{ column_name: string; column_type: string }>(`DESCRIBE _personax_import_src`);
    let header = described.map((d) => d.column_name);
    const types = new Map(described.map((d) => [d.column_name, d.column_type]));
    // Rows written inside an open transaction get row ids from a large offset, so the row number in the file is
    // rowid minus the smallest rowid (the staging insert keeps file order: preserve_insertion_order).
    const [{ n: nRows, base } = { n: 0, base: 0 }] = await store.query<{ n: number; base: number | bigint | null }>(
      `SELECT count(*) AS n, min(rowid) AS base FROM _personax_import_src`);
    const rowNumber = `(rowid - ${String(base ?? 0)})`;
    if (nRows === 0) {
      throw new DataError(name, firstDataRow, undefined, "the file has a header but no data rows", "add at least one row of data below the header");
    }
    progress(1, STEPS, "checking columns");

    // 2. Column names: mapping, then recognition of the layout.
    const mapping = options.mapping ?? {};
    for (const source of Object.keys(mapping)) {
      if (!header.includes(source)) {
        throw new DataError(options.mappingFile ?? "column mapping", 0, source,
          `the mapping renames column "${source}", but ${basename(file)} has no such column`,
          `use one of the file's columns: ${header.join(", ")}`);
      }
    }
    const ignored = Object.keys(mapping).filter((source) => mapping[source] === null);
    const renamed = new Map<string, string>(); // target name → source column
    for (const source of header) {
      const target = source in mapping ? mapping[source] : source;
      if (target === null || target === undefined) continue;
      if (renamed.has(target)) {
        throw new DataError(name, headerRow, source, `two columns map to "${target}" ("${renamed.get(target)}" and "${source}")`,
          `keep one of them; ignore the other with {"${source}": null} in the mapping`);
      }
      renamed.set(target, source);
    }
    header = [...renamed.keys()];
    const metadata = kind === "parquet" ? await readHfMetadata(store, (shards ?? [file])[0]!) : undefined;
    const format = resolveFormat(options.format ?? "auto", header, metadata, name, headerRow);

    const checks: Check[] = [];
    const nanOnlyColumns: string[] = [];
    const numeric = (target: string, type: "INTEGER" | "DOUBLE" | "TINYINT", range?: [number, number], allowed?: number[]) => {
      const src = renamed.get(target)!;
      const v = text(src);
      checks.push({ column: src, bad: `${v} IS NOT NULL AND TRY_CAST(${v} AS DOUBLE) IS NULL`, problem: (x) => `"${x}" is not a number`,
        fix: `write a number (or leave the field empty for a missing value) in column "${src}"` });
      if (type !== "DOUBLE") {
        checks.push({ column: src, bad: `TRY_CAST(${v} AS DOUBLE) IS NOT NULL AND TRY_CAST(${v} AS DOUBLE) <> round(TRY_CAST(${v} AS DOUBLE))`,
          problem: (x) => `"${x}" is not a whole number`, fix: `column "${src}" holds integer codes; round or recode the value` });
      }
      if (range) {
        checks.push({ column: src, bad: `TRY_CAST(${v} AS DOUBLE) NOT BETWEEN ${range[0]} AND ${range[1]}`,
          problem: (x) => `${x} is outside ${range[0]}..${range[1]}`, fix: `correct the value or leave it empty if unknown` });
      }
      if (allowed) {
        checks.push({ column: src, bad: `TRY_CAST(${v} AS DOUBLE) NOT IN (${allowed.join(", ")})`,
          problem: (x) => `${x} is not one of ${allowed.join(", ")}`, fix: `code the attribute as -1 (absent) or 1 (present)` });
      }
      return `CAST(CAST(${v} AS DOUBLE) AS ${type})`;
    };

    // 3. Plan each store table's SELECT from the staged columns.
    const known = new Set<string>();
    const personExpr = new Map<string, string>();
    const faceExpr = new Map<string, string>();
    const flavourOf = format === "persons" ? undefined : format;
    const idSource = renamed.get("id");
    known.add("id");
    let idExpr: string;
    if (idSource) {
      idExpr = text(idSource);
      checks.push({ column: idSource, bad: `${idExpr} IS NULL`, problem: () => "the id is empty", fix: "give every row an id, or drop the id column to number the rows" });
    } else {
      const width = Math.max(6, String(nRows).length);
      idExpr = `${lit(flavourOf ?? "person")} || '-' || lpad(CAST(${rowNumber} + 1 AS VARCHAR), ${width}, '0')`;
    }

    if (format === "persons") {
      for (const column of PERSON_COLUMNS) {
        if (column === "id") continue;
        known.add(column);
        if (!renamed.has(column)) {
          if (column === "flavour") throw missingColumn(name, headerRow, column, "persons");
          continue;
        }
        if (column === "flavour") {
          const v = text(renamed.get(column)!);
          checks.push({ column: renamed.get(column)!, bad: `${v} IS NULL OR ${v} NOT IN ('celeb', 'athle')`, problem: (x) => `flavour "${x}" is not celeb or athle`, fix: "write celeb or athle" });
          personExpr.set(column, v);
        } else {
          const isDouble = ["latitude", "longitude", "height_cm", "weight_kg"].includes(column);
          const range: Record<string, [number, number]> = { birth_month: [1, 12], birth_day: [1, 31], latitude: [-90, 90], longitude: [-180, 180] };
          personExpr.set(column, numeric(column, isDouble ? "DOUBLE" : "INTEGER", range[column]));
        }
      }
    } else {
      const layout = LAYOUTS[format];
      for (const c of layout) {
        const found = findColumn(c, header);
        known.add(c.name);
        if (!found && ignored.some((i) => [c.name, ...c.aliases].some((a) => a.toLowerCase() === i.toLowerCase()))) {
          // Mapped away on purpose ({"Latitude": null}): the column is imported as missing for every person.
          (c.table === "persons" ? personExpr : faceExpr).set(c.column, "NULL");
          continue;
        }
        if (!found) throw missingColumn(name, headerRow, c.name, format);
        known.add(found);
        if (found !== c.name) { renamed.set(c.name, renamed.get(found)!); }
        const range: Record<string, [number, number]> = { birth_month: [1, 12], birth_day: [1, 31], latitude: [-90, 90], longitude: [-180, 180] };
        const expr = numeric(c.name, c.type, range[c.column], c.table === "face_attributes" ? [-1, 1] : undefined);
        (c.table === "persons" ? personExpr : faceExpr).set(c.column, expr);
        nanOnly(c.name);
      }
      personExpr.set("flavour", lit(format));
    }

    // Finals, per-LLM scores, embeddings, nested assessments.
    const finalsPresent = FINAL_NAMES.filter((f) => renamed.has(f));
    if (finalsPresent.length && finalsPresent.length < 5) {
      const missing = FINAL_NAMES.find((f) => !renamed.has(f))!;
      throw missingColumn(name, headerRow, missing, format, `the file has ${finalsPresent.join(", ")} but not ${missing}`);
    }
    const finalExpr = new Map<string, string>();
    for (const f of finalsPresent) { known.add(f); finalExpr.set(f, numeric(f, "DOUBLE")); nanOnly(f); }

    const llmColumns = new Map<string, Map<string, string>>(); // llm → trait → target name
    const embeddingMeta = new Map((metadata?.embeddings ?? []).map((e) => [e.column, e]));
    const embeddingColumns: Array<{ target: string; kind: "face" | "text"; measurement: number; model: string }> = [];
    const hasNested = renamed.has("assessments");
    if (hasNested) known.add("assessments");
    for (const target of header) {
      if (known.has(target)) continue;
      const emb = /^(face|text)_embedding_(\d+)(?:__(.+))?$/.exec(target);
      if (emb) {
        const meta = embeddingMeta.get(target);
        embeddingColumns.push({ target, kind: emb[1] as "face" | "text", measurement: Number(emb[2]), model: meta?.model ?? emb[3] ?? "unknown" });
        known.add(target);
        continue;
      }
      const llm = parseLlmScoreName(target);
      if (llm && !known.has(target)) {
        if (!llmColumns.has(llm.llm)) llmColumns.set(llm.llm, new Map());
        llmColumns.get(llm.llm)!.set(llm.trait, target);
        known.add(target);
      }
    }
    for (const [llm, traits] of llmColumns) {
      const missing = TRAITS.find((t) => !traits.has(t));
      if (missing) throw missingColumn(name, headerRow, llmScoreName(llm, missing), format, `the file has other ${llm}_* score columns`);
    }
    const unknown = header.filter((h) => !known.has(h));
    if (unknown.length) {
      const source = renamed.get(unknown[0]!)!;
      throw new DataError(name, headerRow, source, `unknown column for the ${format} layout`,
        `rename it with a mapping file (--mapping map.json with {"${source}": "<layout name>"}) or ignore it with {"${source}": null}; ` +
        `expected columns: ${expectedColumns(format).join(", ")}`);
    }
    const scoreExpr = new Map<string, string>(); // target → expr
    for (const traits of llmColumns.values()) {
      // With an `assessments` column (an HF export) the per-LLM columns are derived from it and not imported.
      for (const target of traits.values()) { scoreExpr.set(target, numeric(target, "TINYINT", [0, 5])); if (!hasNested) nanOnly(target); }
    }

    function nanOnly(target: string) {
      const src = renamed.get(target)!;
      nanOnlyColumns.push(src);
    }

    // 4. Run every check in one scan: the first bad row of each check.
    progress(2, STEPS, "validating");
    if (checks.length || nanOnlyColumns.length) {
      const selects = [
        ...checks.map((c, i) => `min(CASE WHEN ${c.bad} THEN ${rowNumber} END) AS v${i}`),
        ...nanOnlyColumns.map((c, i) => `count(${text(c)}) AS n${i}`),
      ];
      const [found] = await store.query<Record<string, number | null>>(`SELECT ${selects.join(", ")} FROM _personax_import_src`);
      let worst: { row: number; check: Check } | undefined;
      checks.forEach((c, i) => {
        const row = found![`v${i}`];
        if (row !== null && row !== undefined && (!worst || row < worst.row)) worst = { row, check: c };
      });
      if (worst) {
        const [value] = await store.query<{ v: string | null }>(`SELECT CAST(${q(worst.check.column)} AS VARCHAR) AS v FROM _personax_import_src WHERE ${rowNumber} = ${worst.row}`);
        throw new DataError(name, worst.row + firstDataRow, worst.check.column, worst.check.problem(value?.v ?? ""), worst.check.fix);
      }
      nanOnlyColumns.forEach((column, i) => {
        if (found![`n${i}`] === 0) {
          throw new DataError(name, firstDataRow, column, `every value is empty or NaN (rows ${firstDataRow}..${firstDataRow + nRows - 1})`,
            `fill in the column, or if the data does not have it, map it away with {"${column}": null} (it is then imported as missing)`);
        }
      });
    }

    // Duplicate ids, within the file and against the store.
    const [dup] = await store.query<{ id: string; first: number; second: number }>(
      `SELECT id, min(r) AS first, min(r) FILTER (WHERE rn = 2) AS second FROM (
         SELECT ${idExpr} AS id, ${rowNumber} AS r, row_number() OVER (PARTITION BY ${idExpr} ORDER BY rowid) AS rn FROM _personax_import_src)
       GROUP BY id HAVING count(*) > 1 ORDER BY second LIMIT 1`);
    if (dup) {
      throw new DataError(name, dup.second + firstDataRow, idSource ?? "id", `duplicate id "${dup.id}" (first used on row ${dup.first + firstDataRow})`,
        "give every person a unique id");
    }
    await store.connection.run(`CREATE TABLE _personax_import_ids AS SELECT rowid AS src_rowid, ${rowNumber} AS src_row, ${idExpr} AS id FROM _personax_import_src`);
    if (!options.replace) {
      const [clash] = await store.query<{ id: string; src_row: number }>(
        `SELECT i.id, i.src_row FROM _personax_import_ids i JOIN persons p ON p.id = i.id ORDER BY i.src_row LIMIT 1`);
      if (clash) {
        throw new DataError(name, clash.src_row + firstDataRow, idSource ?? "id", `id "${clash.id}" is already in the store ${store.path}`,
          "import with --replace to overwrite those persons, or import into a new store");
      }
    } else {
      for (const table of ["face_attributes", "trait_assessments", "trait_finals", "embeddings"]) {
        await conn.run(`DELETE FROM ${table} WHERE person_id IN (SELECT id FROM _personax_import_ids)`);
      }
      await conn.run(`DELETE FROM persons WHERE id IN (SELECT id FROM _personax_import_ids)`);
    }

    // 5. Write.
    progress(3, STEPS, "writing");
    const from = `FROM _personax_import_src s JOIN _personax_import_ids i ON i.src_rowid = s.rowid`;
    const personCols = PERSON_COLUMNS.filter((c) => c !== "id" && personExpr.has(c));
    await conn.run(`INSERT INTO persons (id, ${personCols.join(", ")}) SELECT i.id, ${personCols.map((c) => personExpr.get(c)!).join(", ")} ${from}`);
    const result: ImportResult = { file, format, flavours: [], persons: nRows, faceAttributes: 0, assessments: 0, finals: 0, embeddings: 0, runId: 0 };
    if (faceExpr.size) {
      result.faceAttributes = await changed(store, `INSERT INTO face_attributes (person_id, ${FACE_COLUMNS.join(", ")})
        SELECT i.id, ${FACE_COLUMNS.map((c) => faceExpr.get(c)!).join(", ")} ${from} WHERE ${FACE_COLUMNS.map((c) => `${faceExpr.get(c)} IS NOT NULL`).join(" OR ")}`);
    }
    const protocol = options.protocol ?? metadata?.protocol ?? DEFAULT_PROTOCOL;
    if (hasNested) {
      const fields = ["llm", "protocol", "repeat", ...TRAITS.map((t) => `description_${t}`), ...TRAITS.map((t) => `score_${t}`), "raw_reply", "created_at"];
      result.assessments = await changed(store, `INSERT INTO trait_assessments (person_id, ${fields.map((f) => q(f)).join(", ")})
        SELECT id, ${fields.map((f) => `a.${q(f)}`).join(", ")} FROM (SELECT i.id, unnest(s.${q(renamed.get("assessments")!)}) AS a ${from})`);
    } else {
      for (const [llm, traits] of llmColumns) {
        const scores = TRAITS.map((t) => scoreExpr.get(traits.get(t)!)!);
        result.assessments += await changed(store, `INSERT INTO trait_assessments (person_id, llm, protocol, "repeat", ${TRAITS.map((t) => `score_${t}`).join(", ")})
          SELECT i.id, ${lit(llm)}, ${lit(protocol)}, 0, ${scores.join(", ")} ${from} WHERE ${scores.map((s) => `${s} IS NOT NULL`).join(" OR ")}`);
      }
    }
    const finals = finalsPresent.length
      ? FINAL_COLUMNS.map((f) => finalExpr.get(f)!)
      : llmColumns.size
        ? TRAITS.map((t) => aggregateFinalScoreSql([...llmColumns.values()].map((traits) => scoreExpr.get(traits.get(t)!)!)))
        : [];
    if (finals.length) {
      result.finals = await changed(store, `INSERT INTO trait_finals (person_id, ${FINAL_COLUMNS.join(", ")})
        SELECT id, ${FINAL_COLUMNS.join(", ")} FROM (SELECT i.id, ${finals.map((e, k) => `${e} AS ${FINAL_COLUMNS[k]}`).join(", ")} ${from})
        WHERE ${FINAL_COLUMNS.map((c) => `${c} IS NOT NULL`).join(" OR ")}`);
    }
    for (const e of embeddingColumns) {
      const src = renamed.get(e.target)!;
      if (!/\[\]$/.test(types.get(src) ?? "")) {
        throw new DataError(name, headerRow, src, `embedding column has type ${types.get(src)}, not a list of numbers`, "export embeddings to Parquet (personax export --hf), not CSV");
      }
      result.embeddings += await changed(store, `INSERT INTO embeddings (person_id, kind, measurement, model, vector)
        SELECT i.id, ${lit(e.kind)}, ${e.measurement}, ${lit(e.model)}, CAST(s.${q(src)} AS FLOAT[]) ${from} WHERE s.${q(src)} IS NOT NULL`);
    }
    // The per-person tables have no PRIMARY KEY (schema.ts TABLE_KEYS): check their keys for the imported
    // persons (a repeated record in an `assessments` list, or rows written earlier for an id not yet imported).
    for (const [table, keys] of Object.entries(TABLE_KEYS).filter(([t]) => t !== "persons")) {
      const k = keys.map((c) => `t.${q(c)}`);
      const [dup] = await store.query<Record<string, unknown>>(
        `SELECT ${k.join(", ")} FROM ${table} t SEMI JOIN _personax_import_ids i ON i.id = t.person_id GROUP BY ALL HAVING count(*) > 1 LIMIT 1`);
      if (dup) {
        const [where] = await store.query<{ src_row: number }>(`SELECT src_row FROM _personax_import_ids WHERE id = $1`, [String(dup["person_id"])]);
        throw new DataError(name, (where?.src_row ?? -firstDataRow) + firstDataRow, table === "trait_assessments" && hasNested ? renamed.get("assessments") : "id",
          `${table} would hold the key ${JSON.stringify(dup)} twice`,
          hasNested ? "list each (llm, protocol, repeat) once per person" : "import with --replace to overwrite the rows already stored for this person");
      }
    }
    const categories = [...(metadata?.categories ?? []), ...(options.categories ?? [])];
    if (categories.length) {
      for (const c of categories) {
        if (!CATEGORICAL_VARIABLES.includes(c.variable as never)) continue;
        await conn.run(`INSERT OR REPLACE INTO categories VALUES ($1, $2, $3)`, [c.variable, c.code, c.label]);
      }
    }
    result.flavours = (await store.query<{ f: Flavour }>(`SELECT DISTINCT p.flavour AS f FROM persons p JOIN _personax_import_ids i ON i.id = p.id ORDER BY f`)).map((r) => r.f);
    await conn.run(`DROP TABLE _personax_import_ids`);
    await conn.run(`DROP TABLE _personax_import_src`);
    result.runId = await store.recordRun({
      what: "import", seed: null,
      params: { file: basename(file), format, rows: nRows, mapping: options.mapping ?? null, replace: Boolean(options.replace), protocol: llmColumns.size ? protocol : null },
    });
    progress(STEPS, STEPS, "done");
    return result;
  });
}

/** Reads a mapping file: a JSON object of source column → layout name (or null to ignore). */
export async function readMappingFile(path: string): Promise<ColumnMapping> {
  const example = `write e.g. {"Height_cm": "Height(cm)", "notes": null}`;
  const parsed = await readJsonFile(path, example);
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed) || !Object.values(parsed).every((v) => v === null || typeof v === "string")) {
    throw new ConfigError(path, "a mapping must be a JSON object of column name → new name (or null)", example);
  }
  return parsed as ColumnMapping;
}

function hfShards(dir: string): string[] {
  const data = existsSync(join(dir, "data")) ? join(dir, "data") : dir;
  const files = readdirSync(data).filter((f) => f.endsWith(".parquet")).sort().map((f) => join(data, f));
  if (!files.length) {
    throw new DataError(dir, 0, undefined, "no Parquet files in this folder or its data/ folder", "point --file at a Hugging Face export (personax export --hf DIR) or at a single file");
  }
  return files;
}

function fileKind(file: string): "csv" | "json" | "parquet" {
  const ext = extname(file).toLowerCase();
  if (ext === ".csv" || ext === ".tsv") return "csv";
  if (ext === ".json" || ext === ".jsonl" || ext === ".ndjson") return "json";
  if (ext === ".parquet") return "parquet";
  throw new UsageError(`cannot import ${file}: unknown extension "${ext}"`, "pass a .csv, .tsv, .json, .jsonl or .parquet file");
}

function findColumn(c: LayoutColumn, header: string[]): string | undefined {
  if (header.includes(c.name)) return c.name;
  const names = [c.name, ...c.aliases].map((n) => n.toLowerCase());
  return header.find((h) => names.includes(h.toLowerCase()));
}

function expectedColumns(format: Exclude<ImportFormat, "auto">): string[] {
  if (format === "persons") return [...PERSON_COLUMNS, ...FINAL_NAMES];
  return ["id", ...LAYOUTS[format].map((c) => c.name), ...FINAL_NAMES, "<llm>_o … <llm>_n", "face_embedding_<m>", "text_embedding_<m>"];
}

function missingColumn(file: string, row: number, column: string, format: string, why?: string): DataError {
  return new DataError(file, row, column, `missing required column of the ${format} layout${why ? ` (${why})` : ""}`,
    `add the column, or if the file names it differently, map it: --mapping map.json with {"<your name>": "${column}"}`);
}

export function resolveFormat(format: ImportFormat, header: string[], metadata: HfMetadata | undefined, file: string, row: number): Exclude<ImportFormat, "auto"> {
  if (format !== "auto") return format;
  if (metadata) return metadata.flavour;
  const lower = new Set(header.map((h) => h.toLowerCase()));
  if (lower.has("flavour")) return "persons";
  if (lower.has("type") || lower.has("league") || lower.has("birthyear")) return "athle";
  if (lower.has("gender_idx") || lower.has("gender") || lower.has("occupation_idx") || lower.has("big_nose")) return "celeb";
  throw new DataError(file, row, undefined, "cannot tell the layout from the header (no Type/League, Gender/Occupation or flavour column)",
    "pass --format celeb|athle|persons, and a --mapping if the column names differ");
}

export async function readHfMetadata(store: Store, file: string): Promise<HfMetadata | undefined> {
  const rows = await store.query<{ v: string }>(`SELECT decode(value) AS v FROM parquet_kv_metadata(${lit(file)}) WHERE decode(key) = 'personax'`);
  if (!rows[0]) return undefined;
  try {
    return JSON.parse(rows[0].v) as HfMetadata;
  } catch {
    throw new DataError(file, 0, undefined, "the Parquet metadata 'personax' is not valid JSON", "re-export the file with personax export --hf");
  }
}

async function changed(store: Store, sql: string): Promise<number> {
  const result = await store.connection.run(sql);
  return Number(result.rowsChanged);
}

/** Turns a DuckDB reader error into a DataError naming the row (and column, for bad UTF-8). */
async function readError(file: string, kind: "csv" | "json" | "parquet", error: unknown): Promise<Error> {
  const message = error instanceof Error ? error.message : String(error);
  if (/Out of Memory/i.test(message)) return outOfMemory(message);
  if (kind === "parquet") {
    return new DataError(file, 0, undefined, `not a readable Parquet file (${firstLine(message)})`,
      "the file is truncated or not Parquet: copy it again or re-export it");
  }
  if (/unicode|utf-8|utf8/i.test(message)) {
    const where = locateInvalidUtf8(file);
    return new DataError(file, where?.row ?? Number(/Line: (\d+)/.exec(message)?.[1] ?? 0), where?.column,
      "the file is not UTF-8 encoded (invalid byte sequence)", "re-save the file as UTF-8, e.g. iconv -f latin1 -t utf-8 in.csv > out.csv");
  }
  const line = Number(/Line: (\d+)/.exec(message)?.[1] ?? 0);
  const expected = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (expected) {
    return new DataError(file, line, undefined, `has ${expected[2]} fields, the header has ${expected[1]}`,
      "make every row have one field per header column (quote fields that contain commas)");
  }
  return new DataError(file, line, undefined, `cannot be read as ${kind.toUpperCase()}: ${firstLine(message)}`,
    kind === "csv" ? "save it as comma-separated UTF-8 text with a header row" : "save it as a JSON array of objects or as JSON lines");
}

function outOfMemory(message: string): ComputeError {
  return new ComputeError(`the import ran out of memory: ${firstLine(message)}`,
    "raise the store's memory limit (personax import --memory-limit 2GB) or import the file in parts");
}

/** Finds the first invalid UTF-8 sequence: its 1-based line and the header column it falls in. Error path only. */
function locateInvalidUtf8(file: string): { row: number; column?: string } | undefined {
  const fd = openSync(file, "r");
  try {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const chunk = Buffer.alloc(1 << 20);
    let line = 1, lineBytes: number[] = [], header: string[] | undefined;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        const b = chunk[i]!;
        if (b !== 0x0a) { lineBytes.push(b); continue; }
        const bytes = Uint8Array.from(lineBytes);
        try {
          const s = decoder.decode(bytes);
          if (!header) header = s.replace(/\r$/, "").split(",");
        } catch {
          return { row: line, column: header ? columnOfBadByte(bytes, header) : undefined };
        }
        line++;
        lineBytes = [];
      }
      if (line > 5_000_000) break;
    }
    if (lineBytes.length) {
      const bytes = Uint8Array.from(lineBytes);
      try { decoder.decode(bytes); } catch { return { row: line, column: header ? columnOfBadByte(bytes, header) : undefined }; }
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function columnOfBadByte(bytes: Uint8Array, header: string[]): string | undefined {
  // Decode leniently: the first replacement character marks the bad bytes; commas before it count fields.
  const line = new TextDecoder("utf-8").decode(bytes);
  const bad = line.indexOf("\uFFFD");
  let field = 0, quoted = false;
  for (let i = 0; i < (bad < 0 ? line.length : bad); i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) field++;
  }
  return header[field];
}

/**
 * Imports a table of persons into a store: the released CelebPersona / AthlePersona layouts (and their
 * Hugging Face export), or the store's own `persons` columns, from CSV, JSON or Parquet.
 *
 * Streaming: DuckDB reads the file (its own CSV/JSON/Parquet readers) into a staging table that spills
 * to disk under its memory limit; every check is a SQL aggregate over that table, never a JS object per
 * row, so a 1,000,000-row file imports in bounded memory (bench/import.bench.ts measures it).
 * Atomic: everything happens in one transaction; any error rolls it back and leaves the store as before.
 *
 * The stages, each in its own module and usable alone (e.g. by another source of files):
 *   inspectSource → stageSource (import-source.ts) → mapColumns → resolveFormat → planImport (import-plan.ts,
 *   pure) → validateStaged → assignIds → writePlanned (import-write.ts).
 */
import { basename } from "node:path";
import { ConfigError, DataError } from "../errors.ts";
import type { Store } from "./store.ts";
import { readJsonFile } from "./json-file.ts";
import { lit } from "./layout.ts";
import { DEFAULT_PROTOCOL, type CategoryRow, type Flavour } from "./schema.ts";
import { inspectSource, stageSource, STAGING_TABLE } from "./import-source.ts";
import { mapColumns, planImport, resolveFormat, type ColumnMapping, type HfMetadata, type ImportFormat, type LayoutFormat } from "./import-plan.ts";
import { assignIds, IDS_TABLE, validateStaged, writePlanned } from "./import-write.ts";
import type { ProgressCallback } from "../util/progress.ts";

export { IMPORT_FORMATS, resolveFormat, type ColumnMapping, type HfMetadata, type ImportFormat } from "./import-plan.ts";

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
  /** Category dictionaries to store with the persons; coded columns must then use their codes. */
  categories?: CategoryRow[];
  /** Parquet files read as one table instead of `file` (a Hub download; `file` is then its folder). */
  files?: string[];
  onProgress?: ProgressCallback;
}

export interface ImportResult {
  file: string;
  format: LayoutFormat;
  flavours: Flavour[];
  persons: number;
  faceAttributes: number;
  assessments: number;
  finals: number;
  embeddings: number;
  runId: number;
}

/** Reads `file` into the store. See the module comment for the guarantees. */
export async function importFile(store: Store, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const progress = options.onProgress ?? (() => undefined);
  const source = inspectSource(file, options.files);
  const STEPS = 4;
  progress(0, STEPS, "reading");
  return store.transaction(async () => {
    const staged = await stageSource(store, source);
    progress(1, STEPS, "checking columns");
    const columns = mapColumns(staged.header, options.mapping ?? {}, { file, mappingFile: options.mappingFile, headerRow: source.headerRow });
    const metadata = source.kind === "parquet" ? await readHfMetadata(store, source.paths[0]!) : undefined;
    const format = resolveFormat(options.format ?? "auto", columns.names, metadata, file, source.headerRow);
    const categories = [...(metadata?.categories ?? []), ...(options.categories ?? [])];
    // Only a --categories file lists every code of a variable (in code order); an export's metadata may hold a partial dictionary.
    const plan = planImport(staged, columns, format, metadata, options.categories ?? []);
    progress(2, STEPS, "validating");
    await validateStaged(store, staged, plan);
    await assignIds(store, staged, plan, Boolean(options.replace));
    progress(3, STEPS, "writing");
    const protocol = options.protocol ?? metadata?.protocol ?? DEFAULT_PROTOCOL;
    const counts = await writePlanned(store, staged, plan, { protocol, categories });
    const flavours = (await store.query<{ f: Flavour }>(`SELECT DISTINCT p.flavour AS f FROM persons p JOIN ${IDS_TABLE} i ON i.id = p.id ORDER BY f`)).map((r) => r.f);
    await store.connection.run(`DROP TABLE ${IDS_TABLE}`);
    await store.connection.run(`DROP TABLE ${STAGING_TABLE}`);
    const runId = await store.recordRun({
      what: "import", seed: null,
      params: { file: basename(file), format, rows: staged.nRows, mapping: options.mapping ?? null, replace: Boolean(options.replace), protocol: plan.llmScores.size ? protocol : null },
    });
    progress(STEPS, STEPS, "done");
    return { file, format, flavours, ...counts, runId };
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

/** The `personax` key-value metadata of an HF export's Parquet file, if it has one. */
export async function readHfMetadata(store: Store, file: string): Promise<HfMetadata | undefined> {
  const rows = await store.query<{ v: string }>(`SELECT decode(value) AS v FROM parquet_kv_metadata(${lit(file)}) WHERE decode(key) = 'personax'`);
  if (!rows[0]) return undefined;
  try {
    return JSON.parse(rows[0].v) as HfMetadata;
  } catch {
    throw new DataError(file, 0, undefined, "the Parquet metadata 'personax' is not valid JSON", "re-export the file with personax export --hf");
  }
}


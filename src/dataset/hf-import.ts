/**
 * `personax import --hf OWNER/NAME`: download a dataset's Parquet files from the Hugging Face Hub into the
 * standard cache (hf-hub.ts), show the schema found and the mapping planned (hf-mapping.ts), then import the
 * files exactly as a local Hugging Face export is imported (importFile, one transaction).
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { importFile, readHfMetadata, type ColumnMapping, type ImportFormat, type ImportResult } from "./import.ts";
import { fetchHfDataset, hfEnvironment, type HfEnvironment, type HfSnapshot } from "./hf-hub.ts";
import { planMapping, unknownColumnsError, type MappingPlan, type SchemaColumn, type UnknownColumnPolicy } from "./hf-mapping.ts";
import { lit } from "./layout.ts";
import type { Store } from "./store.ts";
import type { CategoryRow } from "./schema.ts";
import type { ProgressCallback } from "../util/progress.ts";

export interface HfImportOptions {
  revision?: string;
  split?: string;
  format?: ImportFormat;
  /** Overrides lines of the planned mapping (source column → layout name, or null to leave it out). */
  mapping?: ColumnMapping;
  mappingFile?: string;
  unknown?: UnknownColumnPolicy;
  replace?: boolean;
  protocol?: string;
  categories?: CategoryRow[];
  env?: HfEnvironment;
  /** Download progress in bytes. */
  onDownload?: ProgressCallback;
  /** Import progress in steps. */
  onProgress?: ProgressCallback;
  /** Called with the plan before anything is written (also when unknown columns refuse the import). */
  onPlan?: (plan: MappingPlan, snapshot: HfSnapshot) => void;
}

export interface HfImportResult extends ImportResult {
  source: string;
  commit: string;
  cachedFiles: string[];
  downloadedBytes: number;
  resumed: number;
  offline: boolean;
  plan: MappingPlan;
}

/** The columns and DuckDB types of Parquet files read as one table. */
export async function parquetSchema(files: string[]): Promise<SchemaColumn[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet([${files.map(lit).join(", ")}])`);
    return reader.getRowObjectsJS().map((r) => ({ name: String(r["column_name"]), type: String(r["column_type"]) }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function importHf(store: Store, repo: string, options: HfImportOptions = {}): Promise<HfImportResult> {
  const env = options.env ?? hfEnvironment();
  const snapshot = await fetchHfDataset(repo, { env, revision: options.revision, split: options.split, onProgress: options.onDownload });
  const source = `hf://datasets/${repo}@${snapshot.revision}`;
  const schema = await parquetSchema(snapshot.files);
  const metadata = await readHfMetadata(store, snapshot.files[0]!);
  const plan = planMapping(schema, options.mappingFile ?? source, { format: options.format, mapping: options.mapping, metadata, unknown: options.unknown });
  options.onPlan?.(plan, snapshot);
  if (plan.unknown.length) throw unknownColumnsError(plan, source);
  const result = await importFile(store, snapshot.dir, {
    files: snapshot.files, format: plan.format, mapping: plan.mapping, mappingFile: options.mappingFile ?? `${source} (planned mapping)`,
    replace: options.replace, protocol: options.protocol, categories: options.categories, onProgress: options.onProgress,
  });
  return {
    ...result, source, commit: snapshot.commit, cachedFiles: snapshot.files, downloadedBytes: snapshot.downloadedBytes,
    resumed: snapshot.resumed, offline: snapshot.offline, plan,
  };
}

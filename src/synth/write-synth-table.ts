/**
 * Writes a synthetic PersonaX table to CSV, Parquet or a store (chosen by the extension of `out`), with its
 * ground truth as JSON beside it (`x.csv` → `x.truth.json`). Parquet and store outputs go through the
 * regular importer, so they hold exactly what importing the CSV would give.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { UsageError } from "../errors.ts";
import { writeTableCsv } from "../dataset/write-csv.ts";
import { openStore } from "../dataset/store.ts";
import { importFile } from "../dataset/import.ts";
import { exportParquet } from "../dataset/export.ts";
import type { CategoryRow } from "../dataset/schema.ts";
import type { ProgressCallback } from "../util/progress.ts";
import type { SynthTable } from "./persona-table.ts";
import { synthPersonaEmbeddings } from "./persona-embeddings.ts";

export interface SynthOutput {
  /** The written table file (.csv, .parquet or .duckdb). */
  file: string;
  truthFile: string;
  rows: number;
  columns: string[];
}

/** `x.csv` → `x.truth.json`. */
export function truthPathFor(out: string): string {
  return resolve(out).replace(/\.(csv|parquet|duckdb)$/i, "") + ".truth.json";
}

/** Category dictionaries of a synthetic table as store rows. */
export function synthCategories(table: SynthTable): CategoryRow[] {
  return Object.entries(table.truth.categories).flatMap(([variable, labels]) => labels.map((label, code) => ({ variable, code, label })));
}

export interface WriteSynthOptions {
  onProgress?: ProgressCallback;
  replace?: boolean;
  /**
   * Also generate 3 face + 3 text embeddings per person from a latent causal DAG (synthPersonaEmbeddings;
   * .parquet and .duckdb outputs only); their latent names and DAG go into the truth JSON as
   * `embedding_latents`. The number is the embedding seed.
   */
  embeddingSeed?: number;
}

export async function writeSynthTable(table: SynthTable, out: string, options: WriteSynthOptions = {}): Promise<SynthOutput> {
  const ext = extname(out).toLowerCase();
  if (![".csv", ".parquet", ".duckdb"].includes(ext)) throw new UsageError(`cannot write ${out}: unknown extension "${ext}"`, "use .csv, .parquet or .duckdb");
  if (options.embeddingSeed !== undefined && ext === ".csv") {
    throw new UsageError("embeddings cannot be written to CSV", "write to .parquet or .duckdb to include embeddings");
  }
  const embeddings = options.embeddingSeed === undefined ? undefined
    : synthPersonaEmbeddings(table.columns["id"] as string[], { seed: options.embeddingSeed, sharedDim: table.truth.kind === "celeb" ? 3 : 2 });
  const truthFile = truthPathFor(out);
  const truth = embeddings ? { ...table.truth, embedding_latents: { ...embeddings.truth, seed: options.embeddingSeed } } : table.truth;
  await writeFile(truthFile, JSON.stringify(truth, null, 1) + "\n");
  if (ext === ".csv") {
    const file = await writeTableCsv(table, out, options.onProgress);
    return { file, truthFile, rows: table.nRows, columns: table.names };
  }
  const tmp = await mkdtemp(join(tmpdir(), "personax-synth-"));
  try {
    const csv = await writeTableCsv(table, join(tmp, `${table.truth.kind}.csv`), options.onProgress);
    const store = await openStore(ext === ".duckdb" ? out : ":memory:");
    try {
      await store.transaction(async () => {
        await importFile(store, csv, { format: table.truth.kind, categories: synthCategories(table), replace: options.replace });
        await store.recordRun({ what: "synth table", seed: table.truth.seed, params: { flavour: table.truth.kind, n: table.truth.n, scale: table.truth.scale, missing: table.truth.missing } });
        if (embeddings) {
          await store.writeEmbeddings(embeddings.rows);
          await store.recordRun({ what: "synth embeddings", seed: options.embeddingSeed!, params: { model: embeddings.truth.model, latents: embeddings.truth.names } });
        }
      });
      if (ext === ".parquet") await exportParquet(store, out, { flavour: table.truth.kind });
    } finally {
      store.close();
    }
    return { file: resolve(out), truthFile, rows: table.nRows, columns: table.names };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * CRL on a PersonaX store: modalities are read from the store's embeddings (e.g. face × k measurements,
 * text × 3 LLMs), restricted to the persons who have every block, and the learned latents are written
 * back into the store's `crl_latents` table (one row per person, run and latent) with the run recorded in
 * `runs`.
 */
import { z } from "zod";
import { DOUBLE, INTEGER, VARCHAR } from "@duckdb/node-api";
import { ConfigError, DataError } from "../errors.ts";
import type { Matrix } from "../linalg/matrix.ts";
import type { Store } from "../dataset/store.ts";
import { EmbeddingKind } from "../dataset/schema.ts";
import type { CrlDataset } from "./data.ts";

export const StoreModalitySpec = z.strictObject({
  /** Modality name used in latent names, e.g. "face". */
  name: z.string().min(1),
  kind: EmbeddingKind,
  /**
   * Which (measurement, model) blocks are this modality's measurements, in order. Omit to take every
   * block of this kind (e.g. the three LLM description embeddings, or every face image).
   */
  blocks: z.array(z.strictObject({ measurement: z.number().int().min(0).optional(), model: z.string().min(1).optional() })).optional(),
  latentDim: z.number().int().min(1),
});
export type StoreModalitySpec = z.infer<typeof StoreModalitySpec>;

export interface StoreDatasetResult {
  dataset: CrlDataset;
  latentDims: number[];
  /** Human-readable description of each modality's measurements. */
  blocks: string[][];
  droppedPersons: number;
}

/** Reads the modalities' embedding blocks and aligns them on the persons present in every block. */
export async function readCrlDatasetFromStore(store: Store, modalities: StoreModalitySpec[], flavour?: "celeb" | "athle"): Promise<StoreDatasetResult> {
  const chosen: Array<Array<{ ids: string[]; dim: number; data: Float32Array; label: string }>> = [];
  for (const m of modalities) {
    const all = await store.readEmbeddings(m.kind, flavour ? { flavour } : {});
    const picked = m.blocks
      ? m.blocks.map((b) => {
        const found = all.filter((e) => (b.measurement === undefined || e.measurement === b.measurement) && (b.model === undefined || e.model === b.model));
        if (found.length !== 1) {
          throw new ConfigError("crl config", `modality "${m.name}": block ${JSON.stringify(b)} matches ${found.length} ${m.kind} embedding blocks (available: ${describe(all)})`,
            "name each block by measurement and model so it matches exactly one");
        }
        return found[0]!;
      })
      : all;
    if (picked.length === 0) {
      throw new DataError(store.path, 0, "embeddings", `no ${m.kind} embeddings for modality "${m.name}"`, "compute embeddings first (personax embed …)");
    }
    const dims = new Set(picked.map((p) => p.dim));
    if (dims.size > 1) {
      throw new DataError(store.path, 0, "embeddings", `modality "${m.name}" mixes ${m.kind} embeddings of different sizes (${[...dims].join(", ")})`,
        "list blocks of one embedding model in the config");
    }
    chosen.push(picked.map((p) => ({ ids: p.ids, dim: p.dim, data: p.data, label: `${p.kind} #${p.measurement} (${p.model})` })));
  }
  // Persons with every block, in sorted id order.
  const counts = new Map<string, number>();
  const totalBlocks = chosen.reduce((s, m) => s + m.length, 0);
  for (const block of chosen.flat()) for (const id of block.ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const ids = [...counts].filter(([, c]) => c === totalBlocks).map(([id]) => id).sort();
  const everyone = counts.size;
  if (ids.length < 10) {
    throw new DataError(store.path, 0, "embeddings", `only ${ids.length} persons have every embedding block the config asks for`,
      "compute the missing embeddings, or drop a modality/block from the config");
  }
  const dataset: CrlDataset = {
    nRows: ids.length,
    ids,
    modalities: chosen.map((blocks, mi) => ({
      name: modalities[mi]!.name,
      inputDim: blocks[0]!.dim,
      measurements: blocks.map((b) => {
        const position = new Map(b.ids.map((id, i) => [id, i]));
        const out = new Float32Array(ids.length * b.dim);
        ids.forEach((id, r) => {
          const src = position.get(id)!;
          out.set(b.data.subarray(src * b.dim, (src + 1) * b.dim), r * b.dim);
        });
        return out;
      }),
    })),
  };
  return { dataset, latentDims: modalities.map((m) => m.latentDim), blocks: chosen.map((b) => b.map((x) => x.label)), droppedPersons: everyone - ids.length };
}

function describe(blocks: Array<{ measurement: number; model: string }>): string {
  return blocks.map((b) => `#${b.measurement} ${b.model}`).join(", ") || "none";
}

const LATENT_TABLE = `CREATE TABLE IF NOT EXISTS crl_latents (
  run_id INTEGER NOT NULL, person_id VARCHAR NOT NULL, latent VARCHAR NOT NULL, value DOUBLE NOT NULL,
  PRIMARY KEY (run_id, person_id, latent))`;

/** Writes learned latents (rows in `ids` order) under a new run, all or nothing (run row included); returns the run id. */
export async function writeCrlLatents(
  store: Store,
  ids: readonly string[],
  names: readonly string[],
  latents: Matrix,
  run: { params: Record<string, unknown>; seed: number; startedAt?: Date },
): Promise<number> {
  if (latents.rows !== ids.length || latents.cols !== names.length) {
    throw new RangeError(`writeCrlLatents: ${latents.rows} × ${latents.cols} latents for ${ids.length} persons and ${names.length} names`);
  }
  const names_ = new Set(names);
  if (names_.size !== names.length) throw new RangeError(`writeCrlLatents: latent names repeat (${names.join(", ")})`);
  return store.transaction(async () => {
    const runId = await store.recordRun({ what: "crl", params: run.params, seed: run.seed, startedAt: run.startedAt, finishedAt: new Date() });
    await store.connection.run(LATENT_TABLE);
    const appender = await store.connection.createAppender("crl_latents");
    try {
      for (let i = 0; i < ids.length; i++) {
        for (let j = 0; j < names.length; j++) {
          appender.appendValue(runId, INTEGER);
          appender.appendValue(ids[i]!, VARCHAR);
          appender.appendValue(names[j]!, VARCHAR);
          appender.appendValue(latents.data[i * latents.cols + j]!, DOUBLE);
          appender.endRow();
        }
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    return runId;
  });
}

/** Reads the latents of one CRL run back as an ids × names matrix. */
export async function readCrlLatents(store: Store, runId: number): Promise<{ ids: string[]; names: string[]; latents: Matrix }> {
  const exists = await store.query<{ n: bigint | number }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'crl_latents'`);
  if (Number(exists[0]?.n ?? 0) === 0) throw new DataError(store.path, 0, "crl_latents", "this store holds no CRL latents", "run 'personax crl train' on it first");
  const rows = await store.query<{ person_id: string; latent: string; value: number }>(
    `SELECT person_id, latent, value FROM crl_latents WHERE run_id = $1 ORDER BY person_id, latent`, [runId]);
  if (rows.length === 0) throw new DataError(store.path, 0, "crl_latents", `no latents stored for CRL run ${runId}`, "run 'personax crl train' first");
  const ids = [...new Set(rows.map((r) => r.person_id))];
  const names = [...new Set(rows.map((r) => r.latent))];
  const col = new Map(names.map((n, j) => [n, j]));
  const row = new Map(ids.map((id, i) => [id, i]));
  const data = new Float64Array(ids.length * names.length);
  for (const r of rows) data[row.get(r.person_id)! * names.length + col.get(r.latent)!] = r.value;
  return { ids, names, latents: { rows: ids.length, cols: names.length, data } };
}

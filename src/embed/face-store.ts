import { readdir, stat } from "node:fs/promises";
import { dirname, extname, join, resolve } from "node:path";
import { readTable } from "../dataset/read-table.ts";
import type { Store } from "../dataset/store.ts";
import type { EmbeddingRow } from "../dataset/schema.ts";
import { DataError, PersonaxError } from "../errors.ts";
import { FACE_MODEL, FaceEmbedder } from "./face.ts";
import type { ProgressCallback } from "../util/progress.ts";

/** One image of one person; a person's images in list order are measurements 0, 1, 2, … */
export interface ImageEntry { personId: string; path: string }

const IMAGE_EXT = new Set([".jpg", ".jpeg", ".png"]);

/**
 * Reads an image list: either a folder with one sub-folder per person id (images sorted by name), or a
 * CSV with columns id,image (paths relative to the CSV's folder; rows in measurement order; read by
 * readTable, so quoted fields and UTF-8 errors are handled as for any table).
 */
export async function readImageList(source: string): Promise<ImageEntry[]> {
  let info;
  try { info = await stat(source); } catch {
    throw new DataError(source, 0, undefined, "no such file or folder", "pass a folder with one sub-folder per person id, or a CSV with columns id,image");
  }
  if (info.isDirectory()) {
    const entries: ImageEntry[] = [];
    for (const person of (await readdir(source, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
      const files = (await readdir(join(source, person))).filter((f) => IMAGE_EXT.has(extname(f).toLowerCase())).sort();
      for (const file of files) entries.push({ personId: person, path: join(source, person, file) });
    }
    if (!entries.length) throw new DataError(source, 0, undefined, "no .jpg/.jpeg/.png images in any sub-folder", "put each person's photos in a sub-folder named after the person id");
    return entries;
  }
  const table = await readTable(source, { columns: ["id", "image"], text: true });
  const ids = table.columns["id"] as string[], paths = table.columns["image"] as string[];
  return ids.map((id, i) => {
    const personId = id.trim(), path = paths[i]!.trim();
    if (!personId) throw new DataError(source, i + 2, "id", "empty id", "every row needs a person id");
    if (!path) throw new DataError(source, i + 2, "image", "empty image path", "every row needs an image path");
    return { personId, path: resolve(dirname(source), path) };
  });
}

export interface FaceEmbedSummary {
  written: number;
  persons: number;
  failures: Array<{ personId: string; path: string; message: string }>;
  model: string;
  seconds: number;
}

/**
 * Embeds every image and writes kind "face" embeddings (model human-faceres-1024), one measurement per
 * image of a person. An image without a face or that cannot be read is reported and skipped (its
 * measurement number stays free, so measurements keep their meaning: the k-th photo of the person).
 */
export async function embedFacesIntoStore(store: Store, images: readonly ImageEntry[], options: { onProgress?: ProgressCallback; embedder?: FaceEmbedder } = {}): Promise<FaceEmbedSummary> {
  const started = performance.now();
  const known = new Set((await store.query<{ id: string }>(`SELECT id FROM persons`)).map((r) => r.id));
  const unknown = images.find((e) => !known.has(e.personId));
  if (unknown) throw new DataError(unknown.path, 0, "id", `person "${unknown.personId}" is not in the store`, "import the persons first, or fix the id");
  const embedder = options.embedder ?? await FaceEmbedder.create();
  const nextMeasurement = new Map<string, number>();
  const failures: FaceEmbedSummary["failures"] = [];
  // Written in blocks (upserts by person, kind, measurement, model): a crash after hours of images keeps the
  // blocks already written, and a rerun rewrites the same rows.
  const BLOCK = 256;
  let pending: EmbeddingRow[] = [];
  let written = 0;
  const persons = new Set<string>();
  for (const [i, entry] of images.entries()) {
    const measurement = nextMeasurement.get(entry.personId) ?? 0;
    nextMeasurement.set(entry.personId, measurement + 1);
    try {
      const face = await embedder.embedFile(entry.path);
      pending.push({ person_id: entry.personId, kind: "face", measurement, model: FACE_MODEL, vector: face.embedding });
      persons.add(entry.personId);
    } catch (error) {
      if (!(error instanceof PersonaxError)) throw error;
      failures.push({ personId: entry.personId, path: entry.path, message: error.message });
    }
    if (pending.length >= BLOCK || i === images.length - 1) {
      written += await store.writeEmbeddings(pending);
      pending = [];
    }
    options.onProgress?.(i + 1, images.length);
  }
  await store.recordRun({ what: "embed faces", params: { model: FACE_MODEL, images: images.length, written, failed: failures.length } });
  return { written, persons: persons.size, failures, model: FACE_MODEL, seconds: (performance.now() - started) / 1000 };
}

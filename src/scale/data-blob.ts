import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { ComputeError } from "../errors.ts";

/**
 * Data that many jobs share (a table's columns, a PC data matrix) goes to Redis once, content-addressed,
 * and jobs name it by id. Encoding: a 4-byte header length, a JSON header, then each column's float64
 * values (little-endian), in header order; the id is the SHA-256 of the encoding, so the same data gets
 * the same id (and job ids built on it stay canonical).
 */
export interface NamedColumns {
  /** Where the data came from (kept for error messages). */
  source: string;
  names: string[];
  rows: number;
  columns: Float64Array[];
}

const BLOB_PREFIX = "personax-blob:";
/** Blobs outlive a run by a week so that a rerun or a late worker still finds them. */
const BLOB_TTL_SECONDS = 7 * 24 * 3600;

export function encodeColumns(data: NamedColumns): Buffer {
  const header = Buffer.from(JSON.stringify({ source: data.source, names: data.names, rows: data.rows }), "utf8");
  const out = Buffer.alloc(4 + header.length + data.columns.length * data.rows * 8);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  let at = 4 + header.length;
  for (const column of data.columns) {
    if (column.length !== data.rows) throw new RangeError(`column of ${column.length} values in a ${data.rows}-row table`);
    for (let r = 0; r < data.rows; r++, at += 8) out.writeDoubleLE(column[r]!, at);
  }
  return out;
}

export function decodeColumns(bytes: Uint8Array): NamedColumns {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = buffer.readUInt32LE(0);
  const header = JSON.parse(buffer.subarray(4, 4 + headerLength).toString("utf8")) as { source: string; names: string[]; rows: number };
  let at = 4 + headerLength;
  const columns = header.names.map(() => {
    const column = new Float64Array(header.rows);
    for (let r = 0; r < header.rows; r++, at += 8) column[r] = buffer.readDoubleLE(at);
    return column;
  });
  return { ...header, columns };
}

export function blobId(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 32);
}

/** Stores the blob (once; a second put only refreshes its expiry) and returns its id. */
export async function putBlob(redis: Redis, bytes: Buffer): Promise<string> {
  const id = blobId(bytes);
  await redis.set(BLOB_PREFIX + id, bytes, "EX", BLOB_TTL_SECONDS);
  return id;
}

export async function getBlob(redis: Redis, id: string): Promise<Buffer> {
  const bytes = await redis.getBuffer(BLOB_PREFIX + id);
  if (!bytes) {
    throw new ComputeError(`data blob ${id} is not in Redis (expired, or Redis was restarted without persistence)`,
      "rerun the producer command: it uploads the data again and re-enqueues the missing jobs");
  }
  return bytes;
}

/**
 * A content digest of every PersonaX table (except `runs`, which records the operations themselves): row
 * count and an order-independent 64-bit hash of the rows (XOR of DuckDB's hash of each whole row, which
 * hashes doubles and float vectors by value). Two stores with equal digests hold the same data; the demo uses
 * it to show that an export → import round trip is exact.
 */
import type { Store } from "./store.ts";

const TABLES = ["persons", "categories", "face_attributes", "trait_assessments", "trait_finals", "embeddings"] as const;

export interface TableDigest { table: string; rows: number; hash: string }

export async function storeDigest(store: Store): Promise<TableDigest[]> {
  const out: TableDigest[] = [];
  for (const table of TABLES) {
    const [row] = await store.query<{ rows: number; hash: bigint | number | null }>(`SELECT count(*) AS rows, bit_xor(hash(t)) AS hash FROM ${table} t`);
    out.push({ table, rows: row!.rows, hash: row!.hash === null ? "0" : BigInt(row!.hash).toString(16).padStart(16, "0") });
  }
  return out;
}

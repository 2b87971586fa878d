import { existsSync } from "node:fs";
import { openStore } from "../../src/dataset/store.ts";

/**
 * Every table of a store file (PersonaX tables, runs, llm_calls, identities, crl tables…) as comparable JSON,
 * for "a failed command leaves the store as it was". Empty tables are left out (a command may create its
 * empty cache table before it fails); a missing file is recorded as such.
 */
export async function storeState(path: string): Promise<Record<string, string>> {
  if (!existsSync(path)) return { missing: path };
  const store = await openStore(path, { readOnly: true });
  try {
    const out: Record<string, string> = {};
    const tables = await store.query<{ name: string }>(`SELECT table_name AS name FROM duckdb_tables() ORDER BY table_name`);
    for (const { name } of tables) {
      const reader = await store.connection.runAndReadAll(`SELECT * FROM "${name}" ORDER BY ALL`);
      const rows = reader.getRowsJson();
      if (rows.length) out[name] = JSON.stringify(rows);
    }
    return out;
  } finally {
    store.close();
  }
}

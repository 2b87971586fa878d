import type { Store } from "../../src/dataset/store.ts";

/** Every PersonaX table except runs (which records the imports themselves), as comparable JSON. */
export async function snapshot(store: Store): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, order] of [["persons", "id"], ["categories", "variable, code"], ["face_attributes", "person_id"],
    ["trait_assessments", `person_id, llm, protocol, "repeat"`], ["trait_finals", "person_id"], ["embeddings", "person_id, kind, measurement, model"]]) {
    const reader = await store.connection.runAndReadAll(`SELECT * FROM ${table} ORDER BY ${order}`);
    out[table!] = JSON.stringify(reader.getRowsJson());
  }
  return out;
}

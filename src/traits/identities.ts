import { readTable } from "../dataset/read-table.ts";
import type { Store } from "../dataset/store.ts";
import { DataError } from "../errors.ts";
import { Rng } from "../util/rng.ts";
import type { PersonPrompt } from "./protocols.ts";

/**
 * Who each person is, for the prompts: name and league (athletes) or short description (celebrities).
 * This is personal data: it lives in its own store table `person_identities` and is never part of a
 * release (the HF export reads only the PersonaX tables, and `personax embed release` does not copy it).
 */
export const IDENTITIES_DDL = `CREATE TABLE IF NOT EXISTS person_identities (
  person_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  context VARCHAR NOT NULL
)`;

export interface Identity { personId: string; name: string; context: string }

export async function writeIdentities(store: Store, rows: readonly Identity[]): Promise<number> {
  await store.connection.run(IDENTITIES_DDL);
  await store.transaction(async () => {
    for (const row of rows) {
      await store.connection.run(`INSERT OR REPLACE INTO person_identities VALUES ($1, $2, $3)`, [row.personId, row.name, row.context]);
    }
  });
  return rows.length;
}

/** Reads a CSV with columns id, name and context (league or short description); other columns are ignored. */
export async function importIdentities(store: Store, csvPath: string): Promise<number> {
  const table = await readTable(csvPath, { columns: ["id", "name", "context"], text: true });
  const [ids, names, contexts] = (["id", "name", "context"] as const).map((c) => table.columns[c] as string[]) as [string[], string[], string[]];
  const known = new Set((await store.query<{ id: string }>(`SELECT id FROM persons`)).map((r) => r.id));
  const identities = ids.map((id, index) => {
    if (!known.has(id)) throw new DataError(csvPath, index + 2, "id", `person "${id}" is not in the store`, "import the persons first, or remove this row");
    const name = names[index]!.trim();
    if (!name) throw new DataError(csvPath, index + 2, "name", "empty name", "every person needs a name for the prompt");
    return { personId: id, name, context: contexts[index]!.trim() };
  });
  return writeIdentities(store, identities);
}

const FIRST = ["Alex", "Jordan", "Sam", "Taylor", "Morgan", "Casey", "Jamie", "Robin", "Avery", "Quinn", "Riley", "Cameron", "Drew", "Elliot", "Harper", "Kai"];
const LAST = ["Varga", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Castillo", "Novak", "Brennan", "Haddad", "Kowalski", "Silva", "Nakamura", "Fischer", "Adeyemi", "Rossi", "Dubois"];

/**
 * Invented names for synthetic persons (no real person is ever named), with the league or occupation
 * label from the store's categories as context. Only persons without an identity get one.
 */
export async function createSyntheticIdentities(store: Store, seed: number): Promise<number> {
  await store.connection.run(IDENTITIES_DDL);
  const rng = new Rng(seed);
  const persons = await store.query<{ id: string; flavour: string; occupation: number | null; league: number | null }>(
    `SELECT id, flavour, occupation, league FROM persons WHERE id NOT IN (SELECT person_id FROM person_identities) ORDER BY id`);
  const labels = new Map((await store.readCategories()).map((c) => [`${c.variable}:${c.code}`, c.label]));
  const rows = persons.map((p) => {
    const name = `${FIRST[rng.int(FIRST.length)]} ${LAST[rng.int(LAST.length)]} ${p.id}`;
    const context = p.flavour === "athle"
      ? labels.get(`league:${p.league}`) ?? `league ${p.league ?? "unknown"}`
      : labels.get(`occupation:${p.occupation}`) ?? `occupation ${p.occupation ?? "unknown"}`;
    return { personId: p.id, name, context };
  });
  return writeIdentities(store, rows);
}

/** Prompt inputs of every person that has an identity, ordered by id. */
export async function readPersonPrompts(store: Store): Promise<PersonPrompt[]> {
  await store.connection.run(IDENTITIES_DDL);
  const rows = await store.query<{ id: string; flavour: string; name: string; context: string }>(
    `SELECT p.id, p.flavour, i.name, i.context FROM persons p JOIN person_identities i ON i.person_id = p.id ORDER BY p.id`);
  return rows.map((r) => ({ id: r.id, name: r.name, context: r.context, flavour: r.flavour === "athle" ? "athlete" : "celebrity" }));
}

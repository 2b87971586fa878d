/**
 * The PersonaX store: one embedded DuckDB file holding the schema of schema.ts. It is the only shared state
 * between capabilities (DESIGN §2): other modules may add their own tables through `store.connection`
 * (e.g. an LLM call cache), but the PersonaX tables are written only through the typed helpers below, which
 * parse every row with the zod schemas first.
 */
import { constants, existsSync } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  DuckDBDataChunk, DuckDBInstance, DuckDBListVector, DOUBLE, FLOAT, INTEGER, LIST, TIMESTAMP, TINYINT, VARCHAR, listValue, timestampValue,
  type DuckDBAppender, type DuckDBConnection, type DuckDBValue,
} from "@duckdb/node-api";
import { z } from "zod";
import { ConfigError, DataError } from "../errors.ts";
import {
  ASSESSMENT_COLUMNS, CategoryRow, EmbeddingRow, FACE_COLUMNS, FaceAttributesRow, FINAL_COLUMNS, FinalScoresRow,
  PERSON_COLUMNS, PERSONAX_TABLES, PersonRow, RunInput, SCHEMA_DDL, SCHEMA_VERSION, TABLE_KEYS, TraitAssessmentRow,
  type EmbeddingKind, type Flavour, type PersonaxTable, type RunRecord,
} from "./schema.ts";

export interface StoreOptions {
  /** Open without writing anything (no schema creation); fails if the file does not exist. */
  readOnly?: boolean;
  /** DuckDB memory limit, e.g. "1GB"; larger work spills to a temp folder next to the store. */
  memoryLimit?: string;
  /** DuckDB worker threads (default: DuckDB's choice, the number of cores). */
  threads?: number;
  /** Create the store when the file does not exist (default true; commands that need existing data pass false). */
  create?: boolean;
}

/** A block of embeddings: one (kind, measurement, model), one row per person in `ids` order. */
export interface EmbeddingMatrix {
  kind: EmbeddingKind;
  measurement: number;
  model: string;
  ids: string[];
  dim: number;
  /** Row-major, ids.length × dim. */
  data: Float32Array;
}

type ColumnKind = "varchar" | "integer" | "tinyint" | "double" | "timestamp" | "floatlist";

/**
 * Opens (creating if needed) a PersonaX store. `path` ":memory:" gives a throw-away in-memory store.
 * Always `close()` it: DuckDB holds a file lock while it is open.
 */
export async function openStore(path: string, options: StoreOptions = {}): Promise<Store> {
  const memory = path === ":memory:";
  const file = memory ? path : resolve(path);
  if (!memory && (options.readOnly || options.create === false) && !existsSync(file)) {
    throw new DataError(path, 0, undefined, "no such store", "create it first, e.g. with 'personax import --store " + path + " --file …'");
  }
  if (!memory) await prepareStoreFolder(path, file, options.readOnly ?? false);
  const config: Record<string, string> = {};
  if (options.readOnly) config["access_mode"] = "READ_ONLY";
  if (options.memoryLimit) config["memory_limit"] = options.memoryLimit;
  if (options.threads) config["threads"] = String(options.threads);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, config);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/permission denied|read-only file system/i.test(message)) {
      throw new DataError(path, 0, undefined, `cannot open the store: ${/read-only/i.test(message) ? "the file system is read-only" : "permission denied"}`,
        options.readOnly ? "make the file readable, or copy it somewhere you can read" : "choose a store path in a folder you can write to, or fix the file's permissions");
    }
    if (/lock/i.test(message)) {
      throw new ConfigError(path, "the store is open in another process", "close the other personax process using this store and retry");
    }
    throw new DataError(path, 0, undefined, `cannot open as a DuckDB store: ${firstLine(message)}`,
      "pass a .duckdb file written by personax, or a new path to create one");
  }
  const connection = await instance.connect();
  const store = new Store(memory ? ":memory:" : file, instance, connection);
  try {
    if (!options.readOnly) for (const ddl of SCHEMA_DDL) await connection.run(ddl);
    await store.checkVersion(!options.readOnly);
  } catch (error) {
    store.close();
    throw error;
  }
  return store;
}

/** Pseudo file systems where DuckDB would block or fail obscurely (reading /proc files never ends). */
const PSEUDO_FILE_SYSTEMS = ["/proc", "/sys", "/dev"];

/** Checks, before DuckDB touches it, that the store's folder exists or can be made and is writable. */
async function prepareStoreFolder(path: string, file: string, readOnly: boolean): Promise<void> {
  if (PSEUDO_FILE_SYSTEMS.some((root) => file === root || file.startsWith(root + "/"))) {
    throw new DataError(path, 0, undefined, `a store cannot live under ${file.split("/").slice(0, 2).join("/")} (a virtual file system of the kernel)`,
      "choose a store path on a real disk, e.g. ./data/store.duckdb");
  }
  if (readOnly) return;
  const folder = dirname(file);
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK);
    if (existsSync(file)) await access(file, constants.R_OK | constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const what = code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EROFS" ? "the file system is read-only"
      : code === "EEXIST" || code === "ENOTDIR" ? "a part of the folder path is a file" : `${code || (error as Error).message}`;
    throw new DataError(path, 0, undefined, `cannot create or write the store here: ${what} (${(error as NodeJS.ErrnoException).path ?? folder})`,
      "choose a store path in a folder you can write to");
  }
}

export class Store {
  private transactionDepth = 0;
  private closed = false;

  constructor(
    /** Absolute path of the .duckdb file, or ":memory:". */
    readonly path: string,
    readonly instance: DuckDBInstance,
    /** The store's connection; other modules may create their own tables with it. */
    readonly connection: DuckDBConnection,
  ) {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** @internal */
  async checkVersion(write: boolean): Promise<void> {
    let rows: Array<{ value: string }>;
    try {
      rows = await this.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`);
    } catch (error) {
      // Only a read-only open gets here without the DDL having created `meta`: some other DuckDB file.
      throw new DataError(this.path, 0, undefined, `not a PersonaX store (${firstLine(error instanceof Error ? error.message : String(error))})`,
        "pass a .duckdb store written by personax (e.g. by 'personax import --store …')");
    }
    const found = rows[0] ? Number(rows[0].value) : undefined;
    if (found !== undefined && found > SCHEMA_VERSION) {
      throw new ConfigError(this.path, `store schema version ${found} is newer than this personax (${SCHEMA_VERSION})`,
        "upgrade personax, or export the store with the newer version and re-import");
    }
    if (write && found === undefined) {
      await this.connection.run(`INSERT INTO meta VALUES ('schema_version', $1)`, [String(SCHEMA_VERSION)]);
    }
  }

  /** Runs `fn` in one transaction: all of its writes land, or none (rollback on any error). Nests. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.transactionDepth > 0) return fn();
    await this.connection.run("BEGIN TRANSACTION");
    this.transactionDepth++;
    try {
      const result = await fn();
      await this.connection.run("COMMIT");
      return result;
    } catch (error) {
      await this.connection.run("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      this.transactionDepth--;
    }
  }

  /** Rows of a query as plain JS objects (BIGINT → number when safe). */
  async query<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS().map((row) => {
      for (const key of Object.keys(row)) {
        const v = row[key];
        if (typeof v === "bigint") (row as Record<string, unknown>)[key] = Number.isSafeInteger(Number(v)) ? Number(v) : v;
      }
      return row as T;
    });
  }

  /** Row count of each PersonaX table. */
  async counts(): Promise<Record<PersonaxTable, number>> {
    const out = {} as Record<PersonaxTable, number>;
    for (const table of PERSONAX_TABLES) {
      const [row] = await this.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
      out[table] = row!.n;
    }
    return out;
  }

  /** The flavours present in `persons`, sorted. */
  async flavours(): Promise<Flavour[]> {
    const rows = await this.query<{ flavour: Flavour }>(`SELECT DISTINCT flavour FROM persons ORDER BY flavour`);
    return rows.map((r) => r.flavour);
  }

  /**
   * Inserts persons. An id already in the store is an error unless `replace` (then the row is replaced).
   * Returns the number of rows written.
   */
  async insertPersons(rows: readonly PersonRow[], options: { replace?: boolean } = {}): Promise<number> {
    const parsed = parseRows(PersonRow, rows, "persons");
    const kinds: ColumnKind[] = ["varchar", "varchar", "integer", "integer", "integer", "double", "double", "double", "double", "integer", "integer", "integer"];
    return this.bulkWrite("persons", PERSON_COLUMNS, kinds, parsed.map((r) => PERSON_COLUMNS.map((c) => r[c])), options.replace ? "replace" : "insert", TABLE_KEYS.persons);
  }

  async readPersons(filter: { flavour?: Flavour } = {}): Promise<PersonRow[]> {
    const where = filter.flavour ? `WHERE flavour = $1` : "";
    return this.query<PersonRow>(`SELECT ${PERSON_COLUMNS.join(", ")} FROM persons ${where} ORDER BY id`, filter.flavour ? [filter.flavour] : undefined);
  }

  /** Inserts or replaces the facial attributes of persons (an all-null row is not stored, as for finals). */
  async writeFaceAttributes(rows: readonly FaceAttributesRow[]): Promise<number> {
    const parsed = parseRows(FaceAttributesRow, rows, "face_attributes");
    const columns = ["person_id", ...FACE_COLUMNS];
    const kinds: ColumnKind[] = ["varchar", ...FACE_COLUMNS.map(() => "tinyint" as const)];
    return this.writeSkippingEmpty("face_attributes", columns, kinds, parsed as unknown as Array<Record<string, unknown>>, FACE_COLUMNS);
  }

  async readFaceAttributes(): Promise<FaceAttributesRow[]> {
    return this.query<FaceAttributesRow>(`SELECT person_id, ${FACE_COLUMNS.join(", ")} FROM face_attributes ORDER BY person_id`);
  }

  /** Inserts or replaces assessments, keyed by (person_id, llm, protocol, repeat). */
  async upsertTraitAssessments(rows: readonly TraitAssessmentRow[]): Promise<number> {
    const parsed = parseRows(TraitAssessmentRow, rows, "trait_assessments");
    const kinds = ASSESSMENT_COLUMNS.map((c): ColumnKind =>
      c === "repeat" ? "integer" : c.startsWith("score_") ? "tinyint" : c === "created_at" ? "timestamp" : "varchar");
    return this.bulkWrite("trait_assessments", ASSESSMENT_COLUMNS, kinds, parsed.map((r) => ASSESSMENT_COLUMNS.map((c) => r[c])), "replace", TABLE_KEYS.trait_assessments);
  }

  async readTraitAssessments(filter: { llm?: string; protocol?: string; personId?: string } = {}): Promise<TraitAssessmentRow[]> {
    const clauses: string[] = [], params: DuckDBValue[] = [];
    for (const [column, value] of [["llm", filter.llm], ["protocol", filter.protocol], ["person_id", filter.personId]] as const) {
      if (value !== undefined) { params.push(value); clauses.push(`${column} = $${params.length}`); }
    }
    const columns = ASSESSMENT_COLUMNS.map((c) => (c === "repeat" ? `"repeat"` : c)).join(", ");
    return this.query<TraitAssessmentRow>(
      `SELECT ${columns} FROM trait_assessments ${clauses.length ? "WHERE " + clauses.join(" AND ") : ""} ORDER BY person_id, llm, protocol, "repeat"`,
      params.length ? params : undefined);
  }

  /**
   * Inserts or replaces the aggregated final scores of persons. A row whose five finals are all null is not
   * stored (and removes an older row of that person), as the importers do, so exports round-trip exactly.
   */
  async writeFinals(rows: readonly FinalScoresRow[]): Promise<number> {
    const parsed = parseRows(FinalScoresRow, rows, "trait_finals");
    const columns = ["person_id", ...FINAL_COLUMNS];
    const kinds: ColumnKind[] = ["varchar", ...FINAL_COLUMNS.map(() => "double" as const)];
    return this.writeSkippingEmpty("trait_finals", columns, kinds, parsed as unknown as Array<Record<string, unknown>>, FINAL_COLUMNS);
  }

  private async writeSkippingEmpty(table: string, columns: string[], kinds: ColumnKind[], rows: Array<Record<string, unknown>>, valueColumns: readonly string[]): Promise<number> {
    const empty = rows.filter((r) => valueColumns.every((c) => r[c] === null));
    const full = rows.filter((r) => !valueColumns.every((c) => r[c] === null));
    return this.transaction(async () => {
      for (let i = 0; i < empty.length; i += 1000) {
        const ids = empty.slice(i, i + 1000).map((r) => r["person_id"] as string);
        await this.connection.run(`DELETE FROM ${table} WHERE person_id IN (${ids.map((_, k) => `$${k + 1}`).join(", ")})`, ids);
      }
      return this.bulkWrite(table, columns, kinds, full.map((r) => columns.map((c) => r[c])), "replace", ["person_id"]);
    });
  }

  async readFinals(): Promise<FinalScoresRow[]> {
    return this.query<FinalScoresRow>(`SELECT person_id, ${FINAL_COLUMNS.join(", ")} FROM trait_finals ORDER BY person_id`);
  }

  /** Inserts or replaces embedding vectors, keyed by (person_id, kind, measurement, model). */
  async writeEmbeddings(rows: readonly EmbeddingRow[]): Promise<number> {
    const parsed = parseRows(EmbeddingRow, rows, "embeddings");
    const columns = ["person_id", "kind", "measurement", "model", "vector"];
    const kinds: ColumnKind[] = ["varchar", "varchar", "integer", "varchar", "floatlist"];
    return this.bulkWrite("embeddings", columns, kinds, parsed.map((r) => [r.person_id, r.kind, r.measurement, r.model, r.vector]), "replace", TABLE_KEYS.embeddings);
  }

  /**
   * Embeddings of one kind as Float32 matrices, one per (measurement, model), rows ordered by person id.
   * Filter by measurement, model, or flavour (persons of that dataset only). Vectors of one block must
   * share a length; a mismatch is a DataError naming the person.
   */
  async readEmbeddings(kind: EmbeddingKind, filter: { measurement?: number; model?: string; flavour?: Flavour } = {}): Promise<EmbeddingMatrix[]> {
    const params: DuckDBValue[] = [kind];
    let where = `e.kind = $1`;
    if (filter.measurement !== undefined) { params.push(filter.measurement); where += ` AND e.measurement = $${params.length}`; }
    if (filter.model !== undefined) { params.push(filter.model); where += ` AND e.model = $${params.length}`; }
    const join = filter.flavour ? `JOIN persons p ON p.id = e.person_id` : "";
    if (filter.flavour) { params.push(filter.flavour); where += ` AND p.flavour = $${params.length}`; }
    const result = await this.connection.stream(
      `SELECT e.person_id, e.measurement, e.model, e.vector FROM embeddings e ${join} WHERE ${where} ORDER BY e.measurement, e.model, e.person_id`, params);
    const blocks: Array<{ measurement: number; model: string; ids: string[]; parts: Float32Array[]; dim: number }> = [];
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const ids = chunk.getColumnVector(0), measurements = chunk.getColumnVector(1), models = chunk.getColumnVector(2);
      const vectors = chunk.getColumnVector(3) as DuckDBListVector;
      const child = vectors.childVector;
      for (let r = 0; r < chunk.rowCount; r++) {
        const measurement = Number(measurements.getItem(r)), model = String(models.getItem(r)), id = String(ids.getItem(r));
        let block = blocks[blocks.length - 1];
        if (!block || block.measurement !== measurement || block.model !== model) {
          block = { measurement, model, ids: [], parts: [], dim: -1 };
          blocks.push(block);
        }
        const offset = vectors.getEntryOffset(r), length = vectors.getEntryLength(r);
        if (block.dim === -1) block.dim = length;
        if (length !== block.dim) {
          throw new DataError(this.path, 0, "vector", `embedding of person "${id}" (${kind}, measurement ${measurement}, model ${model}) has ${length} values, others have ${block.dim}`,
            "re-compute that embedding with the same model");
        }
        const values = new Float32Array(length);
        for (let k = 0; k < length; k++) values[k] = child.getItem(offset + k) as number;
        block.ids.push(id);
        block.parts.push(values);
      }
    }
    return blocks.map((b) => {
      const data = new Float32Array(b.ids.length * b.dim);
      b.parts.forEach((p, i) => data.set(p, i * b.dim));
      return { kind, measurement: b.measurement, model: b.model, ids: b.ids, dim: b.dim, data };
    });
  }

  /** Inserts or replaces dictionary entries of categorical variables. */
  async writeCategories(rows: readonly CategoryRow[]): Promise<number> {
    const parsed = parseRows(CategoryRow, rows, "categories");
    return this.bulkWrite("categories", ["variable", "code", "label"], ["varchar", "integer", "varchar"], parsed.map((r) => [r.variable, r.code, r.label]), "replace");
  }

  async readCategories(variable?: string): Promise<CategoryRow[]> {
    return this.query<CategoryRow>(`SELECT variable, code, label FROM categories ${variable ? "WHERE variable = $1" : ""} ORDER BY variable, code`,
      variable ? [variable] : undefined);
  }

  /** Records what was computed (with parameters and seed); returns the run id. */
  async recordRun(input: RunInput): Promise<number> {
    const run = RunInput.parse(input);
    const started = run.startedAt ?? new Date();
    const rows = await this.query<{ id: number }>(
      `INSERT INTO runs (what, started_at, finished_at, params, seed) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [run.what, toTimestamp(started), run.finishedAt ? toTimestamp(run.finishedAt) : null, JSON.stringify(run.params), run.seed === null ? null : BigInt(run.seed)]);
    return rows[0]!.id;
  }

  async readRuns(): Promise<RunRecord[]> {
    const rows = await this.query<Omit<RunRecord, "params"> & { params: string }>(`SELECT id, what, started_at, finished_at, params, seed FROM runs ORDER BY id`);
    return rows.map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, unknown> }));
  }

  /**
   * Appends rows through a temp staging table (DuckDB's appender is the fast path), then moves them into
   * `table` in one statement so the target's constraints are checked set-wise and the write is atomic.
   */
  private async bulkWrite(table: string, columns: readonly string[], kinds: readonly ColumnKind[], rows: unknown[][], mode: "insert" | "replace",
    keys?: readonly string[]): Promise<number> {
    if (rows.length === 0) return 0;
    const quoted = columns.map((c) => `"${c}"`).join(", ");
    return this.transaction(async () => {
      const stage = `stage_${table}`;
      // The staging table is created inside the transaction, so a rollback removes it too.
      await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${stage} AS SELECT ${quoted} FROM ${table} LIMIT 0`);
      {
        const appender = await this.connection.createAppender(stage);
        try {
          if (kinds.includes("floatlist")) appendChunks(appender, kinds, rows);
          else {
            for (const row of rows) {
              for (let i = 0; i < kinds.length; i++) appendValue(appender, kinds[i]!, row[i]);
              appender.endRow();
            }
          }
          appender.flushSync();
        } finally {
          appender.closeSync();
        }
        if (keys) {
          // Tables without a PRIMARY KEY (see TABLE_KEYS): reject a batch that repeats a key, then replace by key.
          const k = keys.map((c) => `"${c}"`);
          const [dup] = await this.query<Record<string, unknown>>(`SELECT ${k.join(", ")} FROM ${stage} GROUP BY ALL HAVING count(*) > 1 LIMIT 1`);
          if (dup) {
            throw new DataError(`table ${table}`, 0, keys.join(", "), `the rows to write repeat the key ${JSON.stringify(dup)}`, "write each key once per call");
          }
          const match = `FROM ${stage} s WHERE ${k.map((c) => `s.${c} = t.${c}`).join(" AND ")}`;
          if (mode === "replace") {
            await this.connection.run(`DELETE FROM ${table} t WHERE EXISTS (SELECT 1 ${match})`);
          } else {
            const [clash] = await this.query<Record<string, unknown>>(`SELECT ${k.map((c) => `t.${c}`).join(", ")} FROM ${table} t WHERE EXISTS (SELECT 1 ${match}) LIMIT 1`);
            if (clash) {
              throw new DataError(this.path, 0, keys.join(", "), `table ${table}: key ${Object.values(clash).join(", ")} is already in the store`,
                "use replace mode (personax import --replace) to overwrite, or give the rows new ids");
            }
          }
        }
        const verb = mode === "replace" && !keys ? "INSERT OR REPLACE INTO" : "INSERT INTO";
        try {
          await this.connection.run(`${verb} ${table} (${quoted}) SELECT ${quoted} FROM ${stage}`);
        } catch (error) {
          throw storeWriteError(this.path, table, error);
        }
        await this.connection.run(`DROP TABLE ${stage}`);
        return rows.length;
      }
    });
  }
}

function appendValue(appender: DuckDBAppender, kind: ColumnKind, value: unknown): void {
  if (value === null || value === undefined) return appender.appendNull();
  switch (kind) {
    case "varchar": return appender.appendVarchar(String(value));
    case "integer": return appender.appendInteger(value as number);
    case "tinyint": return appender.appendTinyInt(value as number);
    case "double": return appender.appendDouble(value as number);
    case "timestamp": return appender.appendTimestamp(toTimestamp(value as Date));
    case "floatlist": return appender.appendList(listValue(Array.from(value as Float32Array)), LIST(FLOAT));
  }
}

/**
 * Rows with float lists (embeddings) go in as data chunks of 2,048 rows: the chunk's list vector copies a
 * vector's floats into DuckDB's memory in one go, where the row appender made a DuckDB value per float
 * (9,444 persons × 6 embeddings × 1,024 floats took minutes, most of it garbage collection).
 */
function appendChunks(appender: DuckDBAppender, kinds: readonly ColumnKind[], rows: readonly unknown[][]): void {
  const types = kinds.map((k) => CHUNK_TYPES[k]);
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const part = rows.slice(start, start + CHUNK_ROWS);
    const chunk = DuckDBDataChunk.create(types, part.length);
    chunk.setColumns(kinds.map((kind, i) => part.map((row) => chunkValue(kind, row[i]))));
    appender.appendDataChunk(chunk);
  }
}

const CHUNK_ROWS = 2048;
const CHUNK_TYPES = { varchar: VARCHAR, integer: INTEGER, tinyint: TINYINT, double: DOUBLE, timestamp: TIMESTAMP, floatlist: LIST(FLOAT) } as const;

function chunkValue(kind: ColumnKind, value: unknown): DuckDBValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case "varchar": return String(value);
    case "integer": case "tinyint": case "double": return value as number;
    case "timestamp": return toTimestamp(value as Date);
    // The list's items are read by index only, so the Float32Array itself serves (no copy into an array).
    case "floatlist": return listValue(value as unknown as DuckDBValue[]);
  }
}

function toTimestamp(date: Date) {
  return timestampValue(BigInt(date.getTime()) * 1000n);
}

/** Parses rows with a zod schema; the first bad row becomes a DataError naming its index and field. */
function parseRows<T extends z.ZodType>(schema: T, rows: readonly unknown[], table: string): Array<z.infer<T>> {
  return rows.map((row, index) => {
    const result = schema.safeParse(row);
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    throw new DataError(`table ${table}`, 0, String(issue.path[0] ?? ""), `row index ${index}: ${issue.message}`,
      "fix the value before writing it to the store");
  });
}

function storeWriteError(path: string, table: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/duplicate key|PRIMARY KEY|unique/i.test(message)) {
    const key = /key "([^"]*)"/.exec(message)?.[1];
    return new DataError(path, 0, "id", `table ${table}: ${key ? `key ${key}` : "a key"} is already in the store`,
      "use replace mode (personax import --replace) to overwrite, or give the rows new ids");
  }
  if (/CHECK constraint/i.test(message)) {
    return new DataError(path, 0, undefined, `table ${table}: ${firstLine(message)}`, "fix the out-of-range value");
  }
  return error instanceof Error ? error : new Error(message);
}

export function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}

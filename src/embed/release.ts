import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { relative, resolve, isAbsolute, dirname } from "node:path";
import { openStore, type Store } from "../dataset/store.ts";
import { PERSONAX_TABLES } from "../dataset/schema.ts";
import { lit } from "../dataset/layout.ts";
import { DataError, UsageError } from "../errors.ts";
import { newPrivacyKey, OrthogonalTransform, readPrivacyKey, writePrivacyKey, type PrivacyKey } from "./privacy.ts";

/**
 * Makes the release copy of a store (DESIGN §1.1 "release form"): every embedding passes through the
 * kind's random orthogonal transform, and unless `includeRaw` the free text is removed (trait
 * descriptions, raw LLM replies, URLs in category labels). Names never leave: the identities table and
 * the LLM call cache are not copied. The source store is not modified. The key file must lie outside
 * the release folder; an existing key is reused, so several releases share one transform. The key holds
 * one transform per embedding kind and vector size (entry "text", or "text-1536d" for a second size).
 */
export interface ReleaseOptions {
  source: string;
  /** The release store to create (must not exist). */
  out: string;
  keyFile: string;
  /** The folder that will be published (the key may not be inside it). Defaults to the out store's folder. */
  releaseDir?: string;
  includeRaw?: boolean;
  /** Fixed seeds per kind (tests); new keys otherwise draw them from the OS's cryptographic generator. */
  seeds?: Record<string, number>;
}

export interface ReleaseSummary { out: string; keyFile: string; keyCreated: boolean; transformed: Record<string, number>; textRemoved: boolean }

const URL_PATTERN = String.raw`(https?://|www\.)[^\s,;)]+`;

export async function prepareRelease(options: ReleaseOptions): Promise<ReleaseSummary> {
  const out = resolve(options.out), source = resolve(options.source), keyFile = resolve(options.keyFile);
  const releaseDir = resolve(options.releaseDir ?? dirname(out));
  const rel = relative(releaseDir, keyFile);
  if (!rel.startsWith("..") && !isAbsolute(rel)) {
    throw new UsageError(`the privacy key ${keyFile} is inside the release folder ${releaseDir}`, "keep the key apart from the release: pass --key with a path outside it");
  }
  if (!existsSync(source)) throw new DataError(source, 0, undefined, "no such store", "pass the working store with --store");
  if (existsSync(out)) throw new UsageError(`${out} already exists`, "pass a new path for the release store");
  if (out === source) throw new UsageError("the release store must differ from the source store");

  const release = await openStore(out);
  let ok = false;
  try {
    await release.connection.run(`ATTACH ${lit(source)} AS src (READ_ONLY)`);
    await release.transaction(async () => {
      for (const table of PERSONAX_TABLES) {
        if (table === "runs") await release.connection.run(`INSERT INTO runs SELECT * FROM src.runs`);
        else await release.connection.run(`INSERT INTO ${table} SELECT * FROM src.${table}`);
      }
      if (!options.includeRaw) {
        await release.connection.run(`UPDATE trait_assessments SET description_o = NULL, description_c = NULL, description_e = NULL,
          description_a = NULL, description_n = NULL, raw_reply = NULL`);
        await release.connection.run(`UPDATE categories SET label = trim(regexp_replace(label, ${lit(URL_PATTERN)}, '', 'g'))`);
      }
    });
    await release.connection.run(`DETACH src`);
    // Keep the sequence ahead of the copied run ids.
    const [{ m } = { m: 0 }] = await release.query<{ m: number | null }>(`SELECT max(id) AS m FROM runs`);
    if (m) await release.connection.run(`SELECT nextval('runs_id') FROM range(${m})`);

    // One transform per kind and vector size: two text models of different sizes each get their own entry.
    const dims = await release.query<{ kind: string; dim: number }>(`SELECT DISTINCT kind, len(vector) AS dim FROM embeddings ORDER BY kind, dim`);
    const keyCreated = !existsSync(keyFile);
    const key: PrivacyKey = keyCreated ? newPrivacyKey({}) : await readPrivacyKey(keyFile);
    for (const d of dims) {
      const name = keyEntry(key, d.kind, d.dim);
      if (!key.kinds[name]) key.kinds[name] = newPrivacyKey({ [name]: d.dim }, options.seeds).kinds[name]!;
    }
    const transformed: Record<string, number> = {};
    for (const kind of new Set(dims.map((d) => d.kind))) transformed[kind] = await transformKind(release, kind as "face" | "text", key);
    await writePrivacyKey(keyFile, key);
    await release.recordRun({ what: "embed release", params: { transform: "random orthogonal per embedding kind (key kept apart)", kinds: Object.keys(transformed),
      includeRaw: options.includeRaw ?? false } });
    ok = true;
    return { out, keyFile, keyCreated, transformed, textRemoved: !options.includeRaw };
  } finally {
    release.close();
    // A half-made release (e.g. a key that does not fit) is removed, so the same command can be rerun.
    if (!ok) for (const f of [out, `${out}.wal`]) await rm(f, { force: true });
  }
}

/** The key entry of (kind, dim): the kind's own entry when its size fits (or is new), else "<kind>-<dim>d". */
export function keyEntry(key: PrivacyKey, kind: string, dim: number): string {
  const own = key.kinds[kind];
  return !own || own.dim === dim ? kind : `${kind}-${dim}d`;
}

async function transformKind(store: Store, kind: "face" | "text", key: PrivacyKey): Promise<number> {
  let count = 0;
  const transforms = new Map<string, OrthogonalTransform>();
  for (const block of await store.readEmbeddings(kind)) {
    const name = keyEntry(key, kind, block.dim);
    if (!transforms.has(name)) transforms.set(name, OrthogonalTransform.fromKey(key, name));
    const transform = transforms.get(name)!;
    const rows = block.ids.map((id, i) => ({
      person_id: id, kind, measurement: block.measurement, model: block.model,
      vector: transform.apply(block.data.subarray(i * block.dim, (i + 1) * block.dim)),
    }));
    count += await store.writeEmbeddings(rows);
  }
  return count;
}

/**
 * The run manifest: a small JSON file each analysis command leaves in its output folder (what ran, its
 * parameters, seed, PersonaX and Node versions, when and how long), so `personax report` can assemble a
 * report from any mix of folders without knowing how they were made. One manifest per folder.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, join, relative } from "node:path";
import { DataError } from "../errors.ts";

export const MANIFEST_FILE = "personax-run.json";
const FORMAT = "personax-run/1";

/** What wrote the folder; the report picks its section by this. */
export type RunKind = "level1" | "discover-pc" | "crl-train" | "crl-eval" | "traits-agreement" | "embed" | (string & {});

export interface RunManifest {
  format: typeof FORMAT;
  kind: RunKind;
  /** The command as a user would type it, e.g. "personax level1" (library callers name their function). */
  command: string;
  params: Record<string, unknown>;
  seed: number | null;
  version: { personax: string; node: string };
  startedAt: string;
  finishedAt: string;
  seconds: number;
  /** Named phases in seconds (e.g. { pc: 1.2, bootstrap: 3.4 }). */
  timings: Record<string, number>;
  /** Files written, relative to the folder. */
  files: string[];
}

const require = createRequire(import.meta.url);
export const PERSONAX_VERSION: string = (require("../../package.json") as { version: string }).version;

export interface ManifestInput {
  kind: RunKind;
  command: string;
  params: Record<string, unknown>;
  seed?: number | null;
  /** When the run started (Date.now() or a Date); the manifest's duration runs from here to now. */
  started: Date;
  timings?: Record<string, number>;
  /** Paths written (absolute or relative to dir). */
  files?: string[];
}

/** Writes `dir/personax-run.json` and returns its path. Non-finite numbers become null (JSON has no NaN). */
export async function writeManifest(dir: string, input: ManifestInput): Promise<string> {
  const finished = new Date();
  const manifest: RunManifest = {
    format: FORMAT,
    kind: input.kind,
    command: input.command,
    params: input.params,
    seed: input.seed ?? null,
    version: { personax: PERSONAX_VERSION, node: process.version },
    startedAt: input.started.toISOString(),
    finishedAt: finished.toISOString(),
    seconds: (finished.getTime() - input.started.getTime()) / 1000,
    timings: input.timings ?? {},
    files: [...new Set((input.files ?? []).map((f) => (f.startsWith("/") ? relative(dir, f) : f)).filter((f) => f !== MANIFEST_FILE))],
  };
  const path = join(dir, MANIFEST_FILE);
  await writeFile(path, JSON.stringify(manifest, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n");
  return path;
}

/** Reads and checks the manifest of an output folder. */
export async function readManifest(dir: string): Promise<RunManifest> {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new DataError(path, 0, undefined, `${basename(dir)} has no ${MANIFEST_FILE}`,
      "pass an output folder of level1, discover pc, crl train/eval, traits agreement or embed (made by this PersonaX version or later)");
  }
  let parsed: Partial<RunManifest>;
  try {
    parsed = JSON.parse(text) as Partial<RunManifest>;
  } catch (error) {
    throw new DataError(path, 0, undefined, `not valid JSON: ${error instanceof Error ? error.message : String(error)}`, "re-run the command that wrote the folder");
  }
  if (parsed.format !== FORMAT || typeof parsed.kind !== "string") {
    throw new DataError(path, 0, "format", `expected format "${FORMAT}" with a kind, got ${JSON.stringify(parsed.format)}`, "re-run the command that wrote the folder");
  }
  return { params: {}, timings: {}, files: [], seed: null, ...parsed } as RunManifest;
}

/** For commands whose results live elsewhere (e.g. embeddings in the store): `summary.json` plus the manifest in `dir`. */
export async function writeRunSummary(dir: string, summary: unknown, input: Omit<ManifestInput, "files">): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, "summary.json");
  await writeFile(path, JSON.stringify(summary, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n");
  return [path, await writeManifest(dir, { ...input, files: ["summary.json"] })];
}

/**
 * A small Hugging Face Hub client for datasets: lists a dataset's files through the Hub's HTTP API
 * (`/api/datasets/{repo}/tree/{rev}?recursive=true`), downloads them (`/datasets/{repo}/resolve/{rev}/{path}`)
 * with resume (HTTP Range) and size/sha256 checks into huggingface_hub's cache layout, so the Python tools
 * and this one share one cache:
 *
 *   $HF_HOME/hub/datasets--OWNER--NAME/blobs/<etag>              the file contents (etag = LFS sha256 or git oid)
 *   $HF_HOME/hub/datasets--OWNER--NAME/blobs/<etag>.incomplete   a partial download, resumed next time
 *   $HF_HOME/hub/datasets--OWNER--NAME/snapshots/<commit>/<path> relative symlink to ../../blobs/<etag>
 *   $HF_HOME/hub/datasets--OWNER--NAME/refs/<revision>           the commit a branch or tag pointed to
 *
 * Environment as huggingface_hub reads it: HF_ENDPOINT (default https://huggingface.co), HF_TOKEN (sent as a
 * bearer token; never logged, never part of an error message), HF_HOME (default $XDG_CACHE_HOME/huggingface or
 * ~/.cache/huggingface), HF_HUB_CACHE (default $HF_HOME/hub), HF_HUB_OFFLINE=1 (cache only, no network).
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, stat, symlink, writeFile, lstat, readlink } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, relative } from "node:path";
import { PersonaxError } from "../errors.ts";
import type { ProgressCallback } from "../util/progress.ts";

/** A failure talking to the Hub. A wrong name, revision or token is bad input (exit 2); a network failure is not. */
export class HfHubError extends PersonaxError {
  constructor(code: "E_USAGE" | "E_NETWORK", message: string, fix?: string, readonly status?: number) {
    super(code, message, fix);
  }
}

export interface HfEnvironment {
  endpoint: string;
  /** Never print it. */
  token: string | undefined;
  /** The hub cache folder ($HF_HUB_CACHE or $HF_HOME/hub). */
  cacheDir: string;
  offline: boolean;
}

const TRUE_VALUES = new Set(["1", "true", "yes", "on"]);

/** The Hub settings from the environment (process.env by default), with huggingface_hub's defaults. */
export function hfEnvironment(env: NodeJS.ProcessEnv = process.env): HfEnvironment {
  const home = env["HF_HOME"] || join(env["XDG_CACHE_HOME"] || join(homedir(), ".cache"), "huggingface");
  return {
    endpoint: (env["HF_ENDPOINT"] || "https://huggingface.co").replace(/\/+$/, ""),
    token: env["HF_TOKEN"] || undefined,
    cacheDir: env["HF_HUB_CACHE"] || join(home, "hub"),
    offline: TRUE_VALUES.has((env["HF_HUB_OFFLINE"] ?? "").toLowerCase()),
  };
}

/** One file of a dataset repository at a revision, as the tree API lists it. */
export interface HfRepoFile {
  path: string;
  size: number;
  /** Name of the blob in the cache: the LFS sha256 for LFS files, the git blob id otherwise. */
  etag: string;
  /** For LFS files, the sha256 the downloaded bytes must have. */
  sha256?: string;
}

const REPO = /^[A-Za-z0-9][A-Za-z0-9_.\-]*\/[A-Za-z0-9][A-Za-z0-9_.\-]*$/;

export function checkRepoId(repo: string): void {
  if (!REPO.test(repo) || repo.includes("..")) {
    throw new HfHubError("E_USAGE", `"${repo}" is not a dataset id`, "write OWNER/NAME, e.g. Persona-X/celebpersona");
  }
}

/** The cache folder of a dataset repository: datasets--OWNER--NAME. */
export function repoCacheDir(env: HfEnvironment, repo: string): string {
  return join(env.cacheDir, `datasets--${repo.split("/").join("--")}`);
}

const isCommit = (revision: string) => /^[0-9a-f]{40}$/.test(revision);
const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

function headers(env: HfEnvironment, extra: Record<string, string> = {}): Record<string, string> {
  return { "user-agent": "personax", ...(env.token ? { authorization: `Bearer ${env.token}` } : {}), ...extra };
}

/** A clear error for an HTTP status from the Hub (the token itself is never included). */
function statusError(status: number, repo: string, revision: string, env: HfEnvironment, what: string): HfHubError {
  if (status === 401 || status === 403) {
    return new HfHubError("E_USAGE",
      `the Hub refused access to dataset ${repo} (HTTP ${status}) ${env.token ? "with the token in HF_TOKEN" : "without a token"}`,
      env.token
        ? "the token is invalid or has no access: accept the dataset's conditions on its Hub page and set HF_TOKEN to a token of that account (read scope)"
        : "the dataset is gated or private: accept its conditions on the Hub page and set HF_TOKEN to an access token", status);
  }
  if (status === 404) {
    return new HfHubError("E_USAGE", `${what}: not found on ${env.endpoint} (HTTP 404): no dataset ${repo} or no revision "${revision}"`,
      "check the dataset id (OWNER/NAME, as in https://huggingface.co/datasets/OWNER/NAME) and --revision", status);
  }
  return new HfHubError("E_NETWORK", `${what}: the Hub answered HTTP ${status}`, "try again later; set HF_ENDPOINT to use a mirror", status);
}

function networkError(error: unknown, env: HfEnvironment, what: string): HfHubError {
  const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return new HfHubError("E_NETWORK", `${what}: cannot reach ${env.endpoint} (${cause})`,
    "check the network or HF_ENDPOINT; with the files already cached, set HF_HUB_OFFLINE=1");
}

/** Lists every file of the dataset at `revision` (GET /api/datasets/{repo}/tree/{revision}?recursive=true). */
export async function listHfFiles(repo: string, revision: string, env: HfEnvironment): Promise<HfRepoFile[]> {
  checkRepoId(repo);
  const url = `${env.endpoint}/api/datasets/${repo}/tree/${encodeURIComponent(revision)}?recursive=true`;
  const what = `listing the files of dataset ${repo}@${revision}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: headers(env) });
  } catch (error) {
    throw networkError(error, env, what);
  }
  if (!response.ok) throw statusError(response.status, repo, revision, env, what);
  const entries = (await response.json()) as Array<{ type: string; path: string; size?: number; oid?: string; lfs?: { oid?: string; sha256?: string; size?: number } }>;
  if (!Array.isArray(entries)) throw new HfHubError("E_NETWORK", `${what}: the Hub's answer is not a file list`, "check HF_ENDPOINT");
  return entries.filter((e) => e.type === "file").map((e) => {
    const sha256 = e.lfs?.oid ?? e.lfs?.sha256;
    return { path: e.path, size: e.lfs?.size ?? e.size ?? 0, etag: sha256 ?? e.oid ?? "", ...(sha256 ? { sha256 } : {}) };
  });
}

/**
 * Chooses the Parquet files of one split: a file belongs to split S when a folder of its path is named S,
 * or its name starts with "S-" or "S." (data/train-00000-of-00001.parquet, default/train/0000.parquet).
 * Without a split: "train" when it exists, else every Parquet file.
 */
export function parquetFilesOfSplit<T extends { path: string }>(files: T[], split?: string): T[] {
  const parquet = files.filter((f) => f.path.toLowerCase().endsWith(".parquet"));
  const inSplit = (path: string, s: string) => {
    const parts = path.split("/");
    const name = parts.pop()!;
    return parts.includes(s) || name.startsWith(`${s}-`) || name.startsWith(`${s}.`) || name.startsWith(`${s}_`);
  };
  if (split) return parquet.filter((f) => inSplit(f.path, split));
  const train = parquet.filter((f) => inSplit(f.path, "train"));
  return train.length ? train : parquet;
}

export interface DownloadOptions {
  env?: HfEnvironment;
  /** Bytes so far over all files. */
  onProgress?: ProgressCallback;
  /** Attempts per file when the connection breaks (each resumes where the last stopped; default 5). */
  attempts?: number;
}

export interface HfSnapshot {
  repo: string;
  revision: string;
  commit: string;
  /** snapshots/<commit> in the cache. */
  dir: string;
  /** Local paths (inside `dir`) of the chosen files, in path order. */
  files: string[];
  /** Paths inside the repository, same order. */
  repoPaths: string[];
  /** Bytes fetched over the network by this call (0 when everything was cached). */
  downloadedBytes: number;
  /** Resumed downloads (a partial blob continued with a Range request). */
  resumed: number;
  offline: boolean;
}

/**
 * Brings the Parquet files of one split of a dataset into the cache (downloading what is missing) and
 * returns their local paths. With HF_HUB_OFFLINE=1 only the cache is read.
 */
export async function fetchHfDataset(repo: string,
  options: DownloadOptions & { revision?: string; split?: string; select?: (paths: string[]) => string[]; selection?: string } = {}): Promise<HfSnapshot> {
  const env = options.env ?? hfEnvironment();
  checkRepoId(repo);
  const revision = options.revision ?? "main";
  const choose = (paths: string[]) => {
    const chosen = options.select ? options.select(paths) : parquetFilesOfSplit(paths.map((path) => ({ path })), options.split).map((f) => f.path);
    if (!chosen.length) {
      const wanted = options.selection ?? `Parquet files${options.split ? ` of split "${options.split}"` : ""}`;
      throw new HfHubError("E_USAGE", `dataset ${repo}@${revision} has no ${wanted}`,
        `its files: ${paths.slice(0, 12).join(", ")}${paths.length > 12 ? ", …" : ""}; choose another ${options.select ? "path" : "--split"} or --revision`);
    }
    return chosen;
  };
  if (env.offline) return cachedSnapshot(repo, revision, env, choose);
  const listed = await listHfFiles(repo, revision, env);
  const chosen = new Set(choose(listed.map((f) => f.path)));
  return downloadSnapshot(repo, revision, listed.filter((f) => chosen.has(f.path)), env, options);
}

/** Paths of a cached snapshot, or a clear error when the revision was never downloaded. */
async function cachedSnapshot(repo: string, revision: string, env: HfEnvironment, select: (paths: string[]) => string[]): Promise<HfSnapshot> {
  const root = repoCacheDir(env, repo);
  const refFile = join(root, "refs", revision);
  const commit = isCommit(revision) ? revision : existsSync(refFile) ? (await readFile(refFile, "utf8")).trim() : undefined;
  const dir = commit ? join(root, "snapshots", commit) : undefined;
  if (!dir || !existsSync(dir)) {
    throw new HfHubError("E_USAGE", `HF_HUB_OFFLINE=1 and dataset ${repo}@${revision} is not in the cache ${env.cacheDir}`,
      "run the same command once without HF_HUB_OFFLINE=1 to download it (or set HF_HOME/HF_HUB_CACHE to the cache that holds it)");
  }
  const paths = (await listTree(dir)).filter((p) => existsSync(join(dir, p)));
  const chosen = select(paths);
  return { repo, revision, commit: commit!, dir, files: chosen.map((p) => join(dir, p)), repoPaths: chosen, downloadedBytes: 0, resumed: 0, offline: true };
}

async function listTree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(join(dir, prefix), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listTree(dir, path)));
    else out.push(path);
  }
  return out;
}

async function downloadSnapshot(repo: string, revision: string, files: HfRepoFile[], env: HfEnvironment, options: DownloadOptions): Promise<HfSnapshot> {
  const root = repoCacheDir(env, repo);
  await mkdir(join(root, "blobs"), { recursive: true });
  const total = files.reduce((s, f) => s + f.size, 0);
  let done = 0, downloadedBytes = 0, resumed = 0;
  let commit = isCommit(revision) ? revision : undefined;
  const links: Array<{ file: HfRepoFile; blob: string }> = [];
  for (const file of files) {
    if (!/^[A-Za-z0-9]+$/.test(file.etag)) throw new HfHubError("E_NETWORK", `the Hub listed ${file.path} without a usable id (oid)`, "check HF_ENDPOINT");
    const blob = join(root, "blobs", file.etag);
    const base = done;
    if (!existsSync(blob)) {
      const r = await downloadBlob(repo, revision, file, blob, env, options.attempts ?? 5, (bytes) => options.onProgress?.(base + bytes, total, file.path));
      downloadedBytes += r.fetched;
      resumed += r.resumed ? 1 : 0;
      commit ??= r.commit;
    }
    done += file.size;
    options.onProgress?.(done, total, file.path);
    links.push({ file, blob });
  }
  // The commit comes from the X-Repo-Commit header of a download; when every blob was cached, ask once.
  commit ??= await resolveCommit(repo, revision, files[0]!, env);
  const dir = join(root, "snapshots", commit);
  for (const { file, blob } of links) await linkIntoSnapshot(join(dir, file.path), blob);
  if (!isCommit(revision)) {
    await mkdir(dirname(join(root, "refs", revision)), { recursive: true });
    await writeFile(join(root, "refs", revision), commit);
  }
  return { repo, revision, commit, dir, files: files.map((f) => join(dir, f.path)), repoPaths: files.map((f) => f.path), downloadedBytes, resumed, offline: false };
}

async function linkIntoSnapshot(path: string, blob: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const target = relative(dirname(path), blob);
  const current = await lstat(path).catch(() => undefined);
  if (current?.isSymbolicLink() && (await readlink(path)) === target) return;
  if (current) await rm(path);
  await symlink(target, path);
}

function resolveUrl(env: HfEnvironment, repo: string, revision: string, path: string): string {
  return `${env.endpoint}/datasets/${repo}/resolve/${encodeURIComponent(revision)}/${encodePath(path)}`;
}

async function resolveCommit(repo: string, revision: string, file: HfRepoFile, env: HfEnvironment): Promise<string> {
  const what = `resolving ${repo}@${revision}`;
  let response: Response;
  try {
    response = await fetch(resolveUrl(env, repo, revision, file.path), { method: "HEAD", headers: headers(env) });
  } catch (error) {
    throw networkError(error, env, what);
  }
  if (!response.ok) throw statusError(response.status, repo, revision, env, what);
  const commit = response.headers.get("x-repo-commit");
  if (!commit || !isCommit(commit)) throw new HfHubError("E_NETWORK", `${what}: the Hub sent no X-Repo-Commit header`, "check HF_ENDPOINT");
  return commit;
}

/**
 * Downloads one file into `blob`, through `blob.incomplete`: a partial file left by an earlier attempt (or an
 * earlier run) is continued with `Range: bytes=<size>-`; a server that ignores the range (200) restarts it.
 * The finished file must have the listed size (and sha256 for LFS files) before it is renamed into place.
 */
async function downloadBlob(repo: string, revision: string, file: HfRepoFile, blob: string, env: HfEnvironment, attempts: number,
  onBytes: (bytes: number) => void): Promise<{ fetched: number; resumed: boolean; commit?: string }> {
  const partial = `${blob}.incomplete`;
  const what = `downloading ${repo}/${file.path}`;
  let fetched = 0, resumed = false, commit: string | undefined;
  for (let attempt = 1; ; attempt++) {
    let have = existsSync(partial) ? (await stat(partial)).size : 0;
    if (have > file.size) { await rm(partial); have = 0; }
    try {
      if (have < file.size || file.size === 0) {
        const response = await fetch(resolveUrl(env, repo, revision, file.path),
          { headers: headers(env, have > 0 ? { range: `bytes=${have}-` } : {}) });
        if (response.status === 416 && have === file.size) {
          await response.body?.cancel();
        } else {
          if (!response.ok) throw statusError(response.status, repo, revision, env, what);
          commit ??= response.headers.get("x-repo-commit") ?? undefined;
          const append = have > 0 && response.status === 206;
          if (append) resumed = true; else have = 0;
          const out = createWriteStream(partial, { flags: append ? "a" : "w" });
          try {
            for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
              if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
              have += chunk.length; fetched += chunk.length;
              onBytes(have);
            }
          } finally {
            await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
          }
        }
      }
      const size = (await stat(partial)).size;
      if (size !== file.size) {
        // A short body without an error (a proxy closed the stream): retry from where it stopped.
        throw Object.assign(new Error(`got ${size} of ${file.size} bytes`), { retryable: true });
      }
      if (file.sha256 && (await sha256File(partial)) !== file.sha256) {
        await rm(partial);
        throw new HfHubError("E_NETWORK", `${what}: the downloaded bytes do not have the listed sha256 ${file.sha256}`, "run the command again; the damaged partial file was removed");
      }
      await rename(partial, blob);
      return { fetched, resumed, commit };
    } catch (error) {
      if (error instanceof HfHubError) throw error;
      if (attempt >= attempts) {
        throw new HfHubError("E_NETWORK", `${what}: the connection failed ${attempts} times (${error instanceof Error ? error.message : String(error)}); ` +
          `${existsSync(partial) ? (await stat(partial)).size : 0} of ${file.size} bytes are kept`, "run the command again: the download resumes where it stopped");
      }
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** (attempt - 1))));
    }
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * `hf://datasets/OWNER/NAME[@revision]/path-or-glob` (huggingface_hub's HfFileSystem syntax) → the local
 * cached files it names, downloading what is missing (hf-hub.ts). Globs: `*` and `?` within a path segment,
 * `**` across segments; no path means the Parquet files of the train split.
 */
import { UsageError } from "../errors.ts";
import { fetchHfDataset, type DownloadOptions, type HfSnapshot } from "./hf-hub.ts";

export interface HfPath {
  repo: string;
  revision: string;
  /** Path or glob inside the repository ("" = the train split's Parquet files). */
  path: string;
}

const PREFIX = "hf://datasets/";

export const isHfPath = (source: string): boolean => source.startsWith("hf://");

export function parseHfPath(source: string): HfPath {
  if (!source.startsWith(PREFIX)) {
    throw new UsageError(`"${source}" is not a Hugging Face dataset path`, "write hf://datasets/OWNER/NAME[@revision]/path, e.g. hf://datasets/Persona-X/celebpersona/data/*.parquet");
  }
  const m = /^([^/@]+)\/([^/@]+)(?:@([^/]+))?(?:\/(.*))?$/.exec(source.slice(PREFIX.length));
  if (!m) {
    throw new UsageError(`"${source}" does not name a dataset`, "write hf://datasets/OWNER/NAME[@revision]/path");
  }
  return { repo: `${m[1]}/${m[2]}`, revision: decodeURIComponent(m[3] ?? "main"), path: m[4] ?? "" };
}

/** A glob as a regular expression over repository paths. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") { re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*"; i += glob[i + 2] === "/" ? 2 : 1; }
    else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Downloads (or finds in the cache) the files an hf:// path names. */
export async function resolveHfPath(source: string, options: DownloadOptions = {}): Promise<HfSnapshot> {
  const { repo, revision, path } = parseHfPath(source);
  if (!path) return fetchHfDataset(repo, { ...options, revision });
  const pattern = globToRegExp(path.replace(/\/+$/, ""));
  const folder = new RegExp(`^${pattern.source.slice(1, -1)}/`); // a folder path names the files under it
  const snapshot = await fetchHfDataset(repo, {
    ...options, revision, selection: `file matching "${path}"`, select: (paths) => paths.filter((p) => pattern.test(p) || folder.test(p)),
  });
  return snapshot;
}

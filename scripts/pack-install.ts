/**
 * Packs personax as it would be published and installs the tarball into a fresh project as an unprivileged
 * user, the way a consumer gets it: `npm ci --ignore-scripts` (no native build, so the portable fallback),
 * offline from npm's cache. Used by test/package/package.test.ts and bench/cli-start.bench.ts.
 *
 * Offline: `npm ci` in the repository fetched every tarball but no registry metadata, so the project gets a
 * package-lock.json cut from the repository's own (the closure of personax's dependencies), and npm installs
 * exactly the versions the repository is tested with, from the cache. As root, the install runs as `nobody`
 * with a private copy of the cache (content hard-linked, so it costs no space).
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

export interface PackResult {
  tarball: string;
  /** Paths inside the tarball, relative to the package root. */
  files: string[];
  /** Size of the tarball and of its unpacked files, bytes. */
  size: number;
  unpackedSize: number;
  integrity: string;
}

export interface InstalledProject {
  /** The consumer project; personax is in node_modules/personax. */
  dir: string;
  pack: PackResult;
  /** The unprivileged user the install ran as (undefined: the current, non-root user). */
  uid: number | undefined;
  /** Runs a command in the project as that user. */
  run(command: string, args: string[], options?: { env?: NodeJS.ProcessEnv; input?: string }): SpawnSyncReturns<string>;
  cleanup(): void;
}

/** Compiles src/ into an emptied dist/ (as `npm run build` does) so the package holds the current sources and nothing else. */
export function buildDist(): void {
  rmSync(join(repoRoot, "dist"), { recursive: true, force: true });
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: repoRoot, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed:\n${r.stdout}${r.stderr}`);
}

/** `npm pack` of the repository (no lifecycle scripts: dist/ is built by buildDist) into `destination`. */
export function packRepo(destination: string, dryRun = false): PackResult {
  const args = ["pack", "--json", "--ignore-scripts", "--pack-destination", destination, ...(dryRun ? ["--dry-run"] : [])];
  const r = spawnSync("npm", args, { cwd: repoRoot, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm pack failed:\n${r.stderr}`);
  const [info] = JSON.parse(r.stdout) as Array<{ filename: string; files: Array<{ path: string }>; size: number; unpackedSize: number; integrity: string }>;
  return { tarball: join(destination, info!.filename), files: info!.files.map((f) => f.path), size: info!.size, unpackedSize: info!.unpackedSize, integrity: info!.integrity };
}

/**
 * Builds, packs and installs personax into a new temporary project. `extra` names repository dependencies
 * (e.g. typescript, @types/node) to install next to it at the repository's versions.
 */
export function packAndInstall(options: { extra?: string[] } = {}): InstalledProject {
  buildDist();
  const root = mkdtempSync(join(tmpdir(), "personax-pack-"));
  chmodSync(root, 0o755);
  const pack = packRepo(root);
  const user = unprivilegedUser();
  const app = join(root, "app"), home = join(root, "home");
  mkdirSync(app);
  mkdirSync(home);
  cpSync(pack.tarball, join(app, "personax.tgz"));
  const repoLock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as LockEntry & { name: string };
  const extra = Object.fromEntries((options.extra ?? []).map((name) => [name, repoLock.packages[`node_modules/${name}`]!.version!]));
  const dependencies = { personax: "file:personax.tgz", ...extra };
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "personax-consumer", private: true, type: "module", dependencies }, null, 2));
  writeFileSync(join(app, "package-lock.json"), JSON.stringify(consumerLock(repoLock.packages, manifest, pack.integrity, dependencies), null, 2));
  const cache = user === undefined ? undefined : privateCache(join(root, "cache"), user);
  for (const dir of [app, home]) chownTree(dir, user);
  const env = {
    ...process.env, HOME: home, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false",
    ...(cache ? { npm_config_cache: cache } : {}),
  };
  const run: InstalledProject["run"] = (command, args, runOptions = {}) => spawnSync(command, args, {
    cwd: app, encoding: "utf8", env: { ...env, ...runOptions.env }, input: runOptions.input,
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  const install = run("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"]);
  if (install.status !== 0) throw new Error(`npm ci of the packed tarball failed (${install.status}):\n${install.stdout}\n${install.stderr}`);
  return { dir: app, pack, uid: user?.uid, run, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** As root: `nobody` (install and run must work without privileges). Otherwise the current user. */
function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync("id", [flag, "nobody"], { encoding: "utf8" }).stdout.trim());
  const uid = id("-u"), gid = id("-g");
  return Number.isInteger(uid) && uid > 0 ? { uid, gid } : { uid: 65534, gid: 65534 };
}

/** A copy of npm's cache the user can read and add to: index copied, content hard-linked when possible. */
function privateCache(dir: string, user: { uid: number; gid: number }): string {
  const source = join(spawnSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).stdout.trim(), "_cacache");
  const target = join(dir, "_cacache");
  mkdirSync(target, { recursive: true });
  cpSync(join(source, "index-v5"), join(target, "index-v5"), { recursive: true });
  const linked = spawnSync("cp", ["-al", join(source, "content-v2"), join(target, "content-v2")]);
  if (linked.status !== 0) cpSync(join(source, "content-v2"), join(target, "content-v2"), { recursive: true });
  // Directories are new (safe to hand over); content files may be hard links to root's cache, so they keep
  // their owner and stay read-only for the user (cacache never rewrites content in place).
  chownDirs(dir, user);
  chownTree(join(target, "index-v5"), user);
  return dir;
}

function chownTree(path: string, user: { uid: number; gid: number } | undefined): void {
  if (!user) return;
  chownSync(path, user.uid, user.gid);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name), user);
}

function chownDirs(path: string, user: { uid: number; gid: number }): void {
  chownSync(path, user.uid, user.gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) if (entry.isDirectory()) chownDirs(join(path, entry.name), user);
}

/**
 * A lockfile for { personax: file:personax.tgz, ...extra }: personax from the tarball, every package it needs
 * (dependencies, optional dependencies, required peers, transitively) at the path and version the
 * repository's lockfile has, following Node's lookup from each dependent's folder upwards.
 */
function consumerLock(repo: Record<string, LockEntry>, manifest: LockEntry & { name: string }, integrity: string, dependencies: Record<string, string>) {
  const own: LockEntry = {
    version: manifest.version, resolved: "file:personax.tgz", integrity, license: manifest.license,
    dependencies: manifest.dependencies, peerDependencies: manifest.peerDependencies, peerDependenciesMeta: manifest.peerDependenciesMeta,
    bin: manifest.bin, engines: manifest.engines,
  };
  const packages: Record<string, LockEntry> = { "": { name: "personax-consumer", dependencies }, "node_modules/personax": own };
  const queue: Array<[string, string]> = Object.keys(dependencies).map((name) => ["", name]);
  const lookup = (from: string, name: string): string | undefined => {
    for (let base = from; ; base = base.includes("/node_modules/") ? base.slice(0, base.lastIndexOf("/node_modules/")) : "") {
      const path = `${base ? base + "/" : ""}node_modules/${name}`;
      if (path === "node_modules/personax" || repo[path]) return path;
      if (!base) return undefined;
    }
  };
  const visited = new Set<string>();
  while (queue.length) {
    const [from, name] = queue.shift()!;
    const path = lookup(from, name);
    if (!path) throw new Error(`package-lock.json has no ${name} for ${from || "the root"}`);
    if (visited.has(path)) continue;
    visited.add(path);
    if (!packages[path]) {
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = repo[path]!;
      packages[path] = entry;
    }
    const entry = packages[path]!;
    const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n));
    const needs = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}).filter((n) => lookup(path, n)),
      ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n)),
    ];
    for (const dep of needs) queue.push([path, dep]);
  }
  return { name: "personax-consumer", lockfileVersion: 3, requires: true, packages };
}

// Builds the optional OpenBLAS addon in native/. Never fails an install: without a compiler, OpenBLAS or
// Node's headers, PersonaX runs on its portable TypeScript fallback and announces that once at run time.
//
// Two callers:
// - the repository's `npm ci` runs it from `prepare`, after scripts/setup-system.sh installed OpenBLAS;
// - an install of the published package runs it as the `install` script (`--skip-in-checkout`: in a source
//   checkout that step is left to `prepare`, which runs after the system setup). It never installs system
//   packages and never downloads anything (no header download: Node's own headers or no build).
import { existsSync, readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nativeDir = join(root, "native");
const addon = join(nativeDir, "build", "Release", "personax_linalg.node");
const isCheckout = existsSync(join(root, "scripts", "setup-system.sh"));

if (process.argv.includes("--skip-in-checkout") && isCheckout) process.exit(0);
if (!existsSync(join(nativeDir, "binding.gyp"))) process.exit(0);
if (upToDate()) process.exit(0);

const nodeGyp = findNodeGyp();
if (!nodeGyp) {
  console.error("personax: node-gyp not found; skipping the native addon (portable fallback in use).");
  process.exit(0);
}
// Use the headers installed with Node itself (Debian's nodejs and the official tarballs ship them in
// <prefix>/include/node) so that node-gyp never downloads them from nodejs.org.
const prefix = join(dirname(process.execPath), "..");
if (!existsSync(join(prefix, "include", "node", "common.gypi"))) {
  console.error(`personax: Node's headers are not in ${join(prefix, "include", "node")}; skipping the native addon (portable fallback in use).`);
  process.exit(0);
}
const result = spawnSync(process.execPath, [nodeGyp, "rebuild", `--nodedir=${prefix}`], { cwd: nativeDir, stdio: ["ignore", "ignore", "pipe"] });
if (result.status !== 0) {
  console.error("personax: native addon did not build; the portable fallback will be used.");
  console.error(String(result.stderr ?? "").split("\n").slice(-15).join("\n"));
}

/** The addon exists and is newer than every source file, so `npm ci` twice (or `npm pack`) does not rebuild. */
function upToDate() {
  if (!existsSync(addon)) return false;
  const built = statSync(addon).mtimeMs;
  const sources = [join(nativeDir, "binding.gyp"), ...readdirSync(join(nativeDir, "src")).map((f) => join(nativeDir, "src", f))];
  return sources.every((file) => statSync(file).mtimeMs <= built);
}

/** node-gyp from the repository's devDependencies, else the copy npm runs lifecycle scripts with. */
function findNodeGyp() {
  try {
    return createRequire(join(root, "package.json")).resolve("node-gyp/bin/node-gyp.js");
  } catch {
    const fromNpm = process.env.npm_config_node_gyp;
    return fromNpm && existsSync(fromNpm) ? fromNpm : undefined;
  }
}

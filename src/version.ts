/**
 * The package version, read from package.json next to src/ (or dist/ once compiled), so it cannot drift
 * from the published version. Its own module so the demo and the CLI both use it without importing each other.
 */
import { readFileSync } from "node:fs";

export const VERSION: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

import type { RunManifest } from "../manifest.ts";

/** One output folder as a report section sees it. */
export interface RunContext {
  /** The folder (absolute). */
  dir: string;
  manifest: RunManifest;
  /** A path as the report shows it: relative to the report's folder (never an absolute /tmp path). */
  show(path: string): string;
  /** Parses `dir/name` as JSON; undefined when the file is absent. */
  readJson<T>(name: string): Promise<T | undefined>;
}

/**
 * How the report renders the folders of one kind of run (manifest.kind). Adding a kind of run to the
 * report = one module exporting a RunSection + one line in sections/index.ts.
 */
export interface RunSection {
  kind: string;
  /** The section's heading for this run. */
  title(run: RunContext): string;
  /** Trusted HTML (user strings escaped) with inline SVG figures. The run details table is added by the builder. */
  render(run: RunContext): Promise<string>;
}

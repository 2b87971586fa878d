import type { ReportSection } from "../report/html.ts";
import type { CliIo } from "../cli/io.ts";

/**
 * What every demo section receives. Sections run in registry order; a section may leave results in
 * `artifacts` for later ones (e.g. the synthetic dataset's paths), keyed by its own id.
 */
export interface DemoContext {
  /** Output folder (created), e.g. ./personax-demo */
  dir: string;
  seed: number;
  io: CliIo;
  /** Smaller sizes for tests; the real demo uses full sizes and must still finish in under 5 minutes. */
  quick: boolean;
  artifacts: Map<string, unknown>;
}

/** A section's page text, and the output folders (with run manifests) it made; the report draws those like `personax report`. */
export interface DemoSectionOutput extends ReportSection {
  runs?: string[];
}

export interface DemoSection {
  id: string;
  title: string;
  run(ctx: DemoContext): Promise<DemoSectionOutput>;
}

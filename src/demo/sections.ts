import type { DemoSection } from "./types.ts";
import { overviewSection } from "./overview.ts";
import { datasetSection } from "./dataset-section.ts";
import { discoverySection } from "./discovery-section.ts";
import { traitsSection } from "./traits-section.ts";
import { level1Section } from "./level1-section.ts";
import { crlSection } from "./crl-section.ts";

/** The demo's sections, in order. A capability joins the demo by adding its section here. */
export const demoSections: DemoSection[] = [
  overviewSection,
  datasetSection,
  level1Section,
  discoverySection,
  traitsSection,
  crlSection,
];

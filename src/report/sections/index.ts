import type { RunSection } from "./types.ts";
import { level1RunSection } from "./level1.ts";
import { pcRunSection } from "./discover-pc.ts";
import { crlTrainRunSection } from "./crl-train.ts";
import { crlEvalRunSection } from "./crl-eval.ts";
import { agreementRunSection } from "./traits-agreement.ts";
import { embedRunSection } from "./embed.ts";
import { crlMnistRunSection } from "./crl-mnist.ts";

/** Report sections by run kind (the `kind` of a folder's personax-run.json). A new kind of run = one module + one line here. */
export const runSections: RunSection[] = [
  level1RunSection,
  pcRunSection,
  crlTrainRunSection,
  crlEvalRunSection,
  agreementRunSection,
  embedRunSection,
  crlMnistRunSection,
];

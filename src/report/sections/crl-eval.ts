/** Report section for a `personax crl eval --out` folder: MCC with its matched latent pairs, R², SHD. */
import type { CrlEvaluation } from "../../crl/evaluate.ts";
import { htmlTable, keyValueTable } from "../html.ts";
import type { RunSection } from "./types.ts";

export const crlEvalRunSection: RunSection = {
  kind: "crl-eval",
  title: (run) => `Level II CRL evaluation: ${run.show(String(run.manifest.params["run"] ?? run.dir))}`,
  async render(run) {
    const e = await run.readJson<CrlEvaluation>("evaluation.json");
    if (!e) return `<p class="bad">No evaluation.json in this folder.</p>`;
    return keyValueTable([
      ["evaluation rows", e.rows],
      ["MCC", e.mcc],
      ["R² in-sample", e.r2InSample],
      ["R² held-out", e.r2HeldOut],
      ["R² rows", e.r2Rows],
      ...(e.shd !== undefined ? [["SHD of the learned latent graph", e.shd] as [string, number]] : []),
    ], 4) + `<p>Matched latents (Hungarian matching on |correlation|):</p>` +
      htmlTable(["true latent", "learned latent", "|r|"], e.pairs.map((p) => [p.truth, p.learned, p.absR]), 3);
  },
};

/** Report section for a `personax traits agreement --out` folder: agreement between LLMs per trait and their consistency. */
import type { AgreementReport } from "../../traits/agreement.ts";
import { agreementSvg } from "../agreement-chart.ts";
import { TRAIT_NAMES } from "../../traits/protocols.ts";
import { htmlTable, svgFigure } from "../html.ts";
import type { RunSection } from "./types.ts";

export const agreementRunSection: RunSection = {
  kind: "traits-agreement",
  title: (run) => `LLM agreement on the Big Five (${String(run.manifest.params["protocol"] ?? "")})`,
  async render(run) {
    const report = await run.readJson<AgreementReport>("agreement.json");
    if (!report) return `<p class="bad">No agreement.json in this folder.</p>`;
    const num = (v: number | null) => (v === null ? NaN : v);
    const pairs = report.perTrait[0]?.spearman ?? [];
    return `<p>${report.llms.length} LLMs (${report.llms.join(", ")}), ${report.persons} persons; 0 ("insufficient information") counts as missing.</p>` +
      htmlTable(["trait", "n", "ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(2,k)", "ICC(3,k)", "α ordinal", ...pairs.map((s) => `ρ ${s.a}–${s.b}`)],
        report.perTrait.map((t) => [TRAIT_NAMES[t.trait], t.icc.n, num(t.icc.icc1), num(t.icc.icc2), num(t.icc.icc3), num(t.icc.icc2k), num(t.icc.icc3k), num(t.alphaOrdinal), ...t.spearman.map((s) => num(s.rho))]), 3) +
      `<div class="grid">${svgFigure(agreementSvg(report), "ICC(2,1), ICC(2,k) and Krippendorff's ordinal α per trait")}</div>` +
      (report.repeatSd.length ? `<h3>Consistency over repeats</h3>` + htmlTable(["LLM", "trait", "mean SD over repeats", "repeats"], report.repeatSd.map((r) => [r.llm, r.trait.toUpperCase(), num(r.meanSd), r.repeats]), 3) : "") +
      (report.protocolDisagreement.length ? `<h3>Between-protocol disagreement</h3>` + htmlTable(["LLM", "protocol", "mean |Δ| (rescaled to [0, 1])", "scores"], report.protocolDisagreement.map((d) => [d.llm, d.protocol, num(d.meanAbsDiff), d.pairs]), 3) : "");
  },
};

import { mkdir, writeFile } from "node:fs/promises";
import { agreementSvg } from "../report/agreement-chart.ts";
import { writeManifest } from "../report/manifest.ts";
import { join } from "node:path";
import type { Store } from "../dataset/store.ts";
import type { TraitAssessmentRow } from "../dataset/schema.ts";
import { icc, type IccResult } from "./icc.ts";
import { krippendorffAlpha } from "./krippendorff-alpha.ts";
import { DEFAULT_PROTOCOL, getProtocol, protocolIds, TRAIT_NAMES, TRAITS, type Trait } from "./protocols.ts";
import { spearman } from "./spearman.ts";

/**
 * Agreement between the LLMs and consistency of each LLM (the paper's consistency study):
 * - per trait: ICC (Shrout & Fleiss, single and average), Krippendorff's ordinal α, pairwise Spearman;
 * - per LLM and trait: the standard deviation of a person's score over repeated queries, averaged;
 * - per LLM and protocol: the between-protocol disagreement, the mean absolute difference from the
 *   default protocol after rescaling both scales to [0, 1].
 * A score of 0 ("insufficient information") is missing in all of these.
 */
export interface TraitAgreement {
  trait: Trait;
  icc: IccResult;
  alphaOrdinal: number;
  spearman: Array<{ a: string; b: string; rho: number; n: number }>;
}

export interface AgreementReport {
  protocol: string;
  llms: string[];
  persons: number;
  perTrait: TraitAgreement[];
  repeatSd: Array<{ llm: string; trait: Trait; meanSd: number; persons: number; repeats: number }>;
  protocolDisagreement: Array<{ llm: string; protocol: string; meanAbsDiff: number; pairs: number }>;
}

const valid = (s: number | null | undefined): number => (s === null || s === undefined || s === 0 ? NaN : s);

export function computeAgreement(rows: readonly TraitAssessmentRow[], options: { protocol?: string } = {}): AgreementReport {
  const protocol = options.protocol ?? DEFAULT_PROTOCOL;
  const main = rows.filter((r) => r.protocol === protocol && r.repeat === 0);
  const llms = [...new Set(main.map((r) => r.llm))].sort();
  const persons = [...new Set(main.map((r) => r.person_id))].sort();
  const at = new Map(main.map((r) => [`${r.person_id}\u0000${r.llm}`, r]));

  const perTrait = TRAITS.map((trait): TraitAgreement => {
    const table = persons.map((p) => llms.map((l) => valid(at.get(`${p}\u0000${l}`)?.[`score_${trait}`])));
    const byCoder = llms.map((_, j) => table.map((row) => row[j]!));
    const pairs: TraitAgreement["spearman"] = [];
    for (let i = 0; i < llms.length; i++) {
      for (let j = i + 1; j < llms.length; j++) pairs.push({ a: llms[i]!, b: llms[j]!, ...spearman(byCoder[i]!, byCoder[j]!) });
    }
    return { trait, icc: icc(table), alphaOrdinal: llms.length >= 2 ? krippendorffAlpha(byCoder, "ordinal") : NaN, spearman: pairs };
  });

  const repeatSd: AgreementReport["repeatSd"] = [];
  for (const llm of llms) {
    const mine = rows.filter((r) => r.protocol === protocol && r.llm === llm);
    const repeats = new Set(mine.map((r) => r.repeat)).size;
    if (repeats < 2) continue;
    for (const trait of TRAITS) {
      const byPerson = new Map<string, number[]>();
      for (const r of mine) {
        const v = valid(r[`score_${trait}`]);
        if (Number.isFinite(v)) byPerson.set(r.person_id, [...(byPerson.get(r.person_id) ?? []), v]);
      }
      const sds = [...byPerson.values()].filter((v) => v.length >= 2).map(sampleSd);
      repeatSd.push({ llm, trait, meanSd: sds.length ? sds.reduce((s, v) => s + v, 0) / sds.length : NaN, persons: sds.length, repeats });
    }
  }

  const protocolDisagreement: AgreementReport["protocolDisagreement"] = [];
  const known = new Set<string>(protocolIds);
  for (const llm of llms) {
    const base = new Map(main.filter((r) => r.llm === llm).map((r) => [r.person_id, r]));
    const others = [...new Set(rows.filter((r) => r.llm === llm && r.protocol !== protocol && known.has(r.protocol)).map((r) => r.protocol))].sort();
    for (const other of others) {
      const levels = getProtocol(other).levels, baseLevels = known.has(protocol) ? getProtocol(protocol).levels : 3;
      let sum = 0, count = 0;
      for (const r of rows.filter((x) => x.llm === llm && x.protocol === other && x.repeat === 0)) {
        const b = base.get(r.person_id);
        if (!b) continue;
        for (const trait of TRAITS) {
          const x = valid(r[`score_${trait}`]), y = valid(b[`score_${trait}`]);
          if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
          sum += Math.abs((x - 1) / (levels - 1) - (y - 1) / (baseLevels - 1));
          count++;
        }
      }
      protocolDisagreement.push({ llm, protocol: other, meanAbsDiff: count ? sum / count : NaN, pairs: count });
    }
  }
  return { protocol, llms, persons: persons.length, perTrait, repeatSd, protocolDisagreement };
}

function sampleSd(values: number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
}

export async function agreementFromStore(store: Store, options: { protocol?: string } = {}): Promise<AgreementReport> {
  return computeAgreement(await store.readTraitAssessments(), options);
}

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : "—");

/** Plain-text tables of a report. */
export function formatAgreement(report: AgreementReport): string {
  const lines = [`Agreement of ${report.llms.length} LLMs (${report.llms.join(", ")}) on ${report.persons} persons, protocol ${report.protocol}`, ""];
  lines.push("trait              n  ICC(1,1) ICC(2,1) ICC(3,1) ICC(2,k) ICC(3,k)  alpha(ord)");
  for (const t of report.perTrait) {
    lines.push(`${TRAIT_NAMES[t.trait].padEnd(17)} ${String(t.icc.n).padStart(3)}  ${[t.icc.icc1, t.icc.icc2, t.icc.icc3, t.icc.icc2k, t.icc.icc3k].map((v) => fmt(v).padStart(8)).join(" ")}  ${fmt(t.alphaOrdinal).padStart(9)}`);
  }
  if (report.perTrait[0]?.spearman.length) {
    lines.push("", "Spearman rho between LLMs:");
    lines.push("pair".padEnd(24) + TRAITS.map((t) => t.toUpperCase().padStart(7)).join(""));
    for (const [i, pair] of report.perTrait[0].spearman.entries()) {
      lines.push(`${pair.a} vs ${pair.b}`.padEnd(24) + report.perTrait.map((t) => fmt(t.spearman[i]!.rho).padStart(7)).join(""));
    }
  }
  if (report.repeatSd.length) {
    lines.push("", "Mean per-person SD over repeats:");
    for (const llm of new Set(report.repeatSd.map((r) => r.llm))) {
      const mine = report.repeatSd.filter((r) => r.llm === llm);
      lines.push(`${llm.padEnd(12)} ${mine.map((r) => `${r.trait.toUpperCase()} ${fmt(r.meanSd)}`).join("  ")} (${mine[0]!.repeats} repeats)`);
    }
  }
  if (report.protocolDisagreement.length) {
    lines.push("", `Between-protocol disagreement (mean |difference| from ${report.protocol}, scales rescaled to [0,1]):`);
    for (const d of report.protocolDisagreement) lines.push(`${d.llm.padEnd(12)} ${d.protocol.padEnd(15)} ${fmt(d.meanAbsDiff)}  (${d.pairs} scores)`);
  }
  return lines.join("\n");
}

/** Writes agreement.json/.txt/.svg to `dir`; with `run`, also the run manifest that `personax report` reads. */
export async function writeAgreement(report: AgreementReport, dir: string, run?: { params: Record<string, unknown>; started: Date }): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = { "agreement.json": JSON.stringify(report, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2),
    "agreement.txt": formatAgreement(report) + "\n", "agreement.svg": agreementSvg(report) };
  const paths: string[] = [];
  for (const [name, text] of Object.entries(files)) { const path = join(dir, name); await writeFile(path, text); paths.push(path); }
  if (run) paths.push(await writeManifest(dir, { kind: "traits-agreement", command: "personax traits agreement", params: run.params, started: run.started, files: paths }));
  return paths;
}

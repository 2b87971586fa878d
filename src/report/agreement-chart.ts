/**
 * The traits-agreement chart: a grouped bar chart (SVG) of ICC(2,1), ICC(2,k) and Krippendorff's ordinal α
 * per trait. Pure function: an agreement report in, SVG text out (written by `personax traits agreement`,
 * drawn by the report's traits-agreement section).
 */
import type { AgreementReport, TraitAgreement } from "../traits/agreement.ts";
import { TRAIT_NAMES } from "../traits/protocols.ts";
import { escapeXml } from "./heatmap.ts";

/** A grouped bar chart (SVG) of ICC(2,1), ICC(2,k) and ordinal α per trait. */
export function agreementSvg(report: AgreementReport): string {
  const series = [
    { name: "ICC(2,1)", color: "#4e79a7", get: (t: TraitAgreement) => t.icc.icc2 },
    { name: "ICC(2,k)", color: "#f28e2b", get: (t: TraitAgreement) => t.icc.icc2k },
    { name: "α ordinal", color: "#59a14f", get: (t: TraitAgreement) => t.alphaOrdinal },
  ];
  const width = 560, height = 260, left = 40, bottom = 40, top = 30, plotH = height - top - bottom;
  const groupW = (width - left - 20) / report.perTrait.length, barW = groupW / (series.length + 1);
  const y = (v: number) => top + plotH * (1 - v); // v already clipped to [0, 1]
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="16" font-size="12">Agreement between LLMs per trait (${escapeXml(report.protocol)})</text>`];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const ty = top + plotH * (1 - tick);
    parts.push(`<line x1="${left}" x2="${width - 20}" y1="${ty}" y2="${ty}" stroke="#ddd"/><text x="${left - 4}" y="${ty + 4}" text-anchor="end">${tick}</text>`);
  }
  report.perTrait.forEach((t, i) => {
    const x0 = left + i * groupW + barW / 2;
    series.forEach((s, j) => {
      const v = s.get(t);
      if (!Number.isFinite(v)) return;
      const clipped = Math.max(0, Math.min(1, v));
      parts.push(`<rect x="${(x0 + j * barW).toFixed(1)}" y="${y(clipped).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(plotH * clipped).toFixed(1)}" fill="${s.color}"><title>${s.name} ${TRAIT_NAMES[t.trait]}: ${v.toFixed(3)}</title></rect>`);
    });
    parts.push(`<text x="${(x0 + (series.length * barW) / 2).toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle">${TRAIT_NAMES[t.trait]}</text>`);
  });
  series.forEach((s, j) => parts.push(`<rect x="${left + j * 100}" y="${height - 16}" width="10" height="10" fill="${s.color}"/><text x="${left + j * 100 + 14}" y="${height - 7}">${s.name}</text>`));
  parts.push("</svg>");
  return parts.join("\n");
}

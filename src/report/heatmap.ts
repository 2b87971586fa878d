/**
 * A p-value heatmap as plain SVG (no external fonts, scripts or styles): rows are traits, columns are
 * features, optionally in column groups (one per LLM, as in the paper's Level I figure). Colour encodes
 * −log10 p (capped), a dot marks a rejected null (after the multiple-testing correction), and a grey
 * cell with a cross marks a test that could not run. Pure function: data in, SVG text out.
 */
export interface HeatmapCell {
  p: number | null;
  /** Rejected at the chosen level (after correction); drawn as a dot. */
  reject?: boolean | null;
  /** Shown in the tooltip (e.g. the error message). */
  note?: string;
  /** Ground truth, when known: a direct link (solid outline), an indirect dependence (dashed) or independence. */
  truth?: "direct" | "dependent" | "independent";
}

export interface HeatmapSpec {
  title: string;
  rows: string[];
  /** Column groups; a single unnamed group for a plain matrix. */
  groups: Array<{ label: string; columns: string[] }>;
  cell(row: string, group: string, column: string): HeatmapCell | undefined;
  /** −log10 p at which the colour saturates (default 10). */
  cap?: number;
  subtitle?: string;
}

/** The "Blues" ramp from light to dark; interpolated in RGB. */
const RAMP = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"];

export function heatColor(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = hex(RAMP[i]!), b = hex(RAMP[i + 1]!);
  const mix = a.map((v, k) => Math.round(v + (b[k]! - v) * f));
  return `#${mix.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

function hex(c: string): number[] {
  return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

export function pValueHeatmap(spec: HeatmapSpec): string {
  const cap = spec.cap ?? 10;
  const cellW = 26, cellH = 22, groupGap = 12;
  const longestRow = Math.max(4, ...spec.rows.map((r) => r.length));
  const longestCol = Math.max(4, ...spec.groups.flatMap((g) => g.columns.map((c) => c.length)));
  const left = 16 + longestRow * 7;
  const hasGroupLabels = spec.groups.some((g) => g.label !== "");
  const top = 40 + (spec.subtitle ? 16 : 0) + (hasGroupLabels ? 20 : 0) + Math.ceil(longestCol * 6.2);
  const gridW = spec.groups.reduce((w, g) => w + g.columns.length * cellW, 0) + groupGap * (spec.groups.length - 1);
  const legendW = 130;
  // Wide enough for the title and subtitle, which start at the left edge.
  const width = Math.max(left + gridW + 30 + legendW, 20 + spec.title.length * 8.2, 20 + (spec.subtitle?.length ?? 0) * 6.4);
  const height = Math.max(top + spec.rows.length * cellH + 30, top + 205);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="10" y="20" font-size="14" font-weight="bold">${escapeXml(spec.title)}</text>`);
  if (spec.subtitle) out.push(`<text x="10" y="36" fill="#555555">${escapeXml(spec.subtitle)}</text>`);
  let anyTruth = false;
  let x0 = left;
  for (const group of spec.groups) {
    const w = group.columns.length * cellW;
    if (hasGroupLabels) {
      const gy = top - Math.ceil(longestCol * 6.2) - 10;
      out.push(`<text x="${x0 + w / 2}" y="${gy}" text-anchor="middle" font-weight="bold">${escapeXml(group.label)}</text>`);
      out.push(`<line x1="${x0}" y1="${gy + 4}" x2="${x0 + w}" y2="${gy + 4}" stroke="#333333"/>`);
    }
    group.columns.forEach((col, ci) => {
      const cx = x0 + ci * cellW + cellW / 2;
      out.push(`<text transform="translate(${cx + 3},${top - 6}) rotate(-60)" text-anchor="start">${escapeXml(col)}</text>`);
    });
    spec.rows.forEach((row, ri) => {
      const y = top + ri * cellH;
      group.columns.forEach((col, ci) => {
        const x = x0 + ci * cellW;
        const c = spec.cell(row, group.label, col);
        const truthNote = c?.truth ? `; truth: ${c.truth === "direct" ? "direct link" : c.truth === "dependent" ? "dependent (indirect)" : "independent"}` : "";
        const title = `${row} × ${col}${group.label ? ` (${group.label})` : ""}: ` +
          (c?.p === null || c?.p === undefined ? (c?.note ?? "not tested") : `p = ${formatP(c.p)}${c.reject ? ", rejected" : ""}`) + truthNote;
        const outline = c?.truth === "direct" || c?.truth === "dependent"
          ? `<rect x="${x + 2}" y="${y + 2}" width="${cellW - 4}" height="${cellH - 4}" fill="none" stroke="#e8590c" stroke-width="2"${c.truth === "dependent" ? ` stroke-dasharray="3 2"` : ""}/>` : "";
        if (c?.truth) anyTruth = true;
        if (!c || c.p === null || c.p === undefined) {
          out.push(`<g class="cell missing"><title>${escapeXml(title)}</title><rect x="${x}" y="${y}" width="${cellW}" height="${cellH}" fill="#e0e0e0" stroke="#ffffff"/>` +
            `<path d="M${x + 8} ${y + 7}l${cellW - 16} ${cellH - 14}M${x + cellW - 8} ${y + 7}l${-(cellW - 16)} ${cellH - 14}" stroke="#9e9e9e"/>${outline}</g>`);
          return;
        }
        const t = Math.min(cap, -Math.log10(Math.max(c.p, 1e-300))) / cap;
        out.push(`<g class="cell"><title>${escapeXml(title)}</title><rect x="${x}" y="${y}" width="${cellW}" height="${cellH}" fill="${heatColor(t)}" stroke="#ffffff"/>` +
          (c.reject ? `<circle cx="${x + cellW / 2}" cy="${y + cellH / 2}" r="3.5" fill="${t > 0.55 ? "#ffffff" : "#08306b"}"/>` : "") + outline + `</g>`);
      });
    });
    x0 += w + groupGap;
  }
  spec.rows.forEach((row, ri) => {
    out.push(`<text x="${left - 6}" y="${top + ri * cellH + cellH / 2 + 4}" text-anchor="end">${escapeXml(row)}</text>`);
  });
  // Legend: gradient of −log10 p, and the dot.
  const lx = left + gridW + 30, ly = top;
  out.push(`<defs><linearGradient id="pv" x1="0" y1="1" x2="0" y2="0">${RAMP.map((c, i) => `<stop offset="${(i / (RAMP.length - 1)).toFixed(3)}" stop-color="${c}"/>`).join("")}</linearGradient></defs>`);
  out.push(`<text x="${lx}" y="${ly - 8}">−log10 p</text>`);
  out.push(`<rect x="${lx}" y="${ly}" width="14" height="110" fill="url(#pv)" stroke="#999999"/>`);
  out.push(`<text x="${lx + 20}" y="${ly + 8}">≥ ${cap}</text><text x="${lx + 20}" y="${ly + 59}">${cap / 2}</text><text x="${lx + 20}" y="${ly + 110}">0</text>`);
  out.push(`<circle cx="${lx + 7}" cy="${ly + 130}" r="3.5" fill="#08306b"/><text x="${lx + 16}" y="${ly + 134}">rejected</text>`);
  out.push(`<rect x="${lx}" y="${ly + 143}" width="14" height="12" fill="#e0e0e0"/><text x="${lx + 20}" y="${ly + 153}">no test</text>`);
  if (anyTruth) {
    out.push(`<rect x="${lx}" y="${ly + 163}" width="14" height="12" fill="none" stroke="#e8590c" stroke-width="2"/><text x="${lx + 20}" y="${ly + 173}">true direct link</text>`);
    out.push(`<rect x="${lx}" y="${ly + 183}" width="14" height="12" fill="none" stroke="#e8590c" stroke-width="2" stroke-dasharray="3 2"/><text x="${lx + 20}" y="${ly + 193}">true indirect</text>`);
  }
  out.push(`</svg>`);
  return out.join("\n");
}

function formatP(p: number): string {
  return p === 0 ? "0" : p < 1e-3 ? p.toExponential(2) : p.toPrecision(3);
}

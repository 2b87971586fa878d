/**
 * Assembles a self-contained HTML report (no external scripts, styles or fonts): sections of HTML with
 * inline SVG and base64 PNG. Chart and graph builders live elsewhere in src/report/; this file only joins.
 */
export interface ReportSection {
  id: string;
  title: string;
  /** Trusted HTML produced by PersonaX code; user strings must go through escapeHtml first. */
  html: string;
}

export interface Report {
  title: string;
  subtitle?: string;
  sections: ReportSection[];
  generatedAt?: Date;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A table from a header and rows; cells are escaped. Numbers are shown with `digits` significant digits. */
export function htmlTable(header: string[], rows: Array<Array<string | number | null | undefined>>, digits = 4): string {
  const cell = (v: string | number | null | undefined) =>
    v === null || v === undefined ? "" : typeof v === "number" ? formatNumber(v, digits) : escapeHtml(v);
  return `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join("")}</tr>`).join("") + `</tbody></table>`;
}

export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(digits - 1) : String(Number(value.toPrecision(digits)));
}

/** An inline PNG image. */
export function pngImage(png: Uint8Array, alt: string): string {
  return `<img alt="${escapeHtml(alt)}" src="data:image/png;base64,${Buffer.from(png).toString("base64")}">`;
}

/** A figure wrapping inline SVG markup (produced by our own renderers) with a caption. */
export function svgFigure(svg: string, caption: string): string {
  const body = svg.replace(/^<\?xml[^>]*>\s*/, "");
  return `<figure>${body}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

export function renderReport(report: Report): string {
  const when = (report.generatedAt ?? new Date()).toISOString();
  const nav = report.sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join("");
  const body = report.sections
    .map((s) => `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d232a;background:#fafbfc}
header{background:#1d3557;color:#fff;padding:1.2rem 2rem}header h1{margin:0;font-size:1.5rem}header p{margin:.2rem 0 0;opacity:.85}
nav{padding:.5rem 2rem;background:#eef2f6;border-bottom:1px solid #d8dee6}nav ul{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:1.2rem}
nav a{color:#1d3557;text-decoration:none}main{padding:1rem 2rem;max-width:1200px}
section{background:#fff;border:1px solid #e1e6ec;border-radius:6px;padding:1rem 1.4rem;margin:1rem 0}
h2{margin-top:0;color:#1d3557}table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #d8dee6;padding:.25rem .5rem;text-align:right}th{background:#f1f4f8}td:first-child,th:first-child{text-align:left}
figure{margin:.8rem 0;overflow-x:auto}figcaption{font-size:.85rem;color:#555}img,svg{max-width:100%;height:auto}
.note{color:#555;font-size:.9rem}.ok{color:#2a7a2a}.warn{color:#a35c00}.bad{color:#b00020}
.grid{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
code{background:#f1f4f8;padding:0 .25rem;border-radius:3px}
</style></head>
<body><header><h1>${escapeHtml(report.title)}</h1>${report.subtitle ? `<p>${escapeHtml(report.subtitle)}</p>` : ""}<p>Generated ${when}</p></header>
<nav><ul>${nav}</ul></nav>
<main>
${body}
</main></body></html>
`;
}

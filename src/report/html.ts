/**
 * Assembles a self-contained HTML report (no external scripts, styles or fonts; opens from disk): sections of
 * HTML with inline SVG, plus a little inlined JavaScript (report-script.ts) for sortable tables and hover
 * details. Chart and graph builders live elsewhere in src/report/; this file only joins.
 */
import { REPORT_SCRIPT } from "./report-script.ts";
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

type Cell = string | number | boolean | null | undefined;

function cellHtml(v: Cell, digits: number): string {
  if (v === null || v === undefined) return "<td></td>";
  // The raw number rides along so sorting is numeric, whatever the display format.
  if (typeof v === "number") return `<td data-sort="${Number.isFinite(v) ? v : ""}">${escapeHtml(formatNumber(v, digits))}</td>`;
  return `<td>${escapeHtml(String(v))}</td>`;
}

/** A table from a header and rows, sortable by clicking a column header; cells are escaped. Numbers are shown with `digits` significant digits. */
export function htmlTable(header: string[], rows: Cell[][], digits = 4): string {
  return `<table class="sortable"><thead><tr>${header.map((h) => `<th title="click to sort">${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((v) => cellHtml(v, digits)).join("")}</tr>`).join("") + `</tbody></table>`;
}

/** A two-column "name: value" table with the names as row headers (no empty header row). Values are escaped unless given as { html }. */
export function keyValueTable(rows: Array<[string, Cell | { html: string }]>, digits = 4): string {
  return `<table class="kv"><tbody>` + rows.map(([k, v]) =>
    `<tr><th scope="row">${escapeHtml(k)}</th>${v !== null && typeof v === "object" ? `<td>${v.html}</td>` : cellHtml(v, digits)}</tr>`).join("") + `</tbody></table>`;
}

/** "6 December 2026, 10:52 UTC": a date people read, not an ISO stamp. */
export function humanDate(date: Date): string {
  const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  const hh = String(date.getUTCHours()).padStart(2, "0"), mm = String(date.getUTCMinutes()).padStart(2, "0");
  return `${date.getUTCDate()} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(digits - 1) : String(Number(value.toPrecision(digits)));
}

/**
 * A figure wrapping inline SVG markup (produced by our own renderers) with a caption. Figures are shown at
 * their own size, never shrunk (shrinking makes the labels unreadable); a figure wider than the page
 * scrolls inside its frame, labels included.
 */
export function svgFigure(svg: string, caption: string): string {
  const body = svg.slice(Math.max(0, svg.indexOf("<svg")));
  return `<figure>${body}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

export function renderReport(report: Report): string {
  const when = humanDate(report.generatedAt ?? new Date());
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
table.sortable th{cursor:pointer;user-select:none}table.sortable th[aria-sort=ascending]::after{content:" ▲"}table.sortable th[aria-sort=descending]::after{content:" ▼"}
table{display:block;max-width:100%;overflow-x:auto}table.kv th{font-weight:normal;color:#444;background:#f7f9fb;white-space:nowrap}table.kv td{text-align:left;overflow-wrap:anywhere}
.table-scroll{max-height:26rem;overflow:auto;max-width:100%}
figure{margin:.8rem 0;overflow-x:auto;max-width:100%;width:min-content}figcaption{font-size:.85rem;color:#555;min-width:16rem}figure>svg{max-width:none;display:block}img{max-width:100%;height:auto}
details{margin:.6rem 0}summary{cursor:pointer;color:#1d3557}
#tip{position:fixed;pointer-events:none;background:#1d232a;color:#fff;font-size:13px;padding:.3rem .5rem;border-radius:4px;max-width:28rem;display:none;z-index:10}
.note{color:#555;font-size:.9rem}.ok{color:#2a7a2a}.warn{color:#a35c00}.bad{color:#b00020}
.grid{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
code{background:#f1f4f8;padding:0 .25rem;border-radius:3px}
</style></head>
<body><header><h1>${escapeHtml(report.title)}</h1>${report.subtitle ? `<p>${escapeHtml(report.subtitle)}</p>` : ""}<p>Generated ${when}</p></header>
<nav><ul>${nav}</ul></nav>
<main>
${body}
</main><div id="tip" role="tooltip"></div>
<script>${REPORT_SCRIPT}</script></body></html>
`;
}

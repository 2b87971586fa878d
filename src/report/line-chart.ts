/**
 * A small SVG line-chart builder for training curves (loss, MCC, R² against epochs): no dependencies, so
 * the trainer can plot curves as it saves them. Several series share one x axis; a series may use the
 * right-hand axis (e.g. MCC in [0, 1] beside a loss). Text is escaped. PNG via png.ts.
 */
import { escapeHtml } from "./html.ts";

export interface LineSeries {
  name: string;
  points: Array<[number, number]>;
  /** "left" (default) or "right" y axis. */
  axis?: "left" | "right";
  color?: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  yLabelRight?: string;
  series: LineSeries[];
  width?: number;
  height?: number;
  /** Plot the left axis on a log10 scale (losses spanning decades); non-positive values are dropped. */
  logY?: boolean;
}

const PALETTE = ["#1d3557", "#e63946", "#2a9d8f", "#f4a261", "#6a4c93", "#8d99ae", "#264653", "#e76f51"];

export function lineChartSvg(options: LineChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const margin = { left: 64, right: options.series.some((s) => s.axis === "right") ? 64 : 20, top: 36, bottom: 70 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const transformY = (v: number) => (options.logY ? Math.log10(v) : v);
  const usable = (s: LineSeries) =>
    s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!options.logY || s.axis === "right" || y > 0));

  const all = options.series.flatMap((s) => usable(s));
  const xs = all.map(([x]) => x);
  const [xMin, xMax] = extent(xs);
  const left = extent(options.series.filter((s) => s.axis !== "right").flatMap((s) => usable(s).map(([, y]) => transformY(y))));
  const right = extent(options.series.filter((s) => s.axis === "right").flatMap((s) => usable(s).map(([, y]) => y)));
  const sx = (x: number) => margin.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const syFor = ([lo, hi]: [number, number]) => (y: number) => margin.top + plotH - ((y - lo) / (hi - lo)) * plotH;
  const syLeft = syFor(left);
  const syRight = syFor(right);

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" font-size="11">`);
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`);
  parts.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeHtml(options.title)}</text>`);
  // Grid and ticks.
  for (const t of ticks(xMin, xMax, 6)) {
    const x = sx(t);
    parts.push(`<line x1="${f(x)}" y1="${margin.top}" x2="${f(x)}" y2="${margin.top + plotH}" stroke="#eee"/>`);
    parts.push(`<text x="${f(x)}" y="${margin.top + plotH + 16}" text-anchor="middle">${label(t)}</text>`);
  }
  // Log scale: ticks at nice values (1-2-5 steps within a decade or two, else powers of ten).
  const leftTicks: Array<[number, number]> = options.logY
    ? logTicks(left[0], left[1]).map((v) => [Math.log10(v), v])
    : ticks(left[0], left[1], 5).map((t) => [t, t]);
  for (const [position, value] of leftTicks) {
    const y = syLeft(position);
    parts.push(`<line x1="${margin.left}" y1="${f(y)}" x2="${margin.left + plotW}" y2="${f(y)}" stroke="#eee"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${f(y + 4)}" text-anchor="end">${label(value)}</text>`);
  }
  if (margin.right > 20) {
    for (const t of ticks(right[0], right[1], 5)) {
      parts.push(`<text x="${margin.left + plotW + 6}" y="${f(syRight(t) + 4)}">${label(t)}</text>`);
    }
    if (options.yLabelRight) {
      parts.push(`<text transform="translate(${width - 14},${margin.top + plotH / 2}) rotate(90)" text-anchor="middle">${escapeHtml(options.yLabelRight)}</text>`);
    }
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  parts.push(`<text x="${margin.left + plotW / 2}" y="${margin.top + plotH + 34}" text-anchor="middle">${escapeHtml(options.xLabel)}</text>`);
  parts.push(`<text transform="translate(16,${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(options.yLabel + (options.logY ? " (log scale)" : ""))}</text>`);
  // Lines and legend.
  const legendSlots: Array<{ x: number; line: number }> = [];
  let cursor = margin.left;
  let line = 0;
  for (const s of options.series) {
    const slot = 44 + 6.5 * (s.name.length + (s.axis === "right" ? 8 : 0));
    if (cursor > margin.left && cursor + slot > width - 10) { cursor = margin.left; line++; }
    legendSlots.push({ x: cursor, line });
    cursor += slot;
  }
  const legendLines = line + 1;
  options.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const sy = s.axis === "right" ? syRight : (y: number) => syLeft(transformY(y));
    const pts = usable(s).map(([x, y]) => `${f(sx(x))},${f(sy(y))}`);
    if (pts.length > 1) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${pts.join(" ")}"/>`);
    else if (pts.length === 1) {
      const [px, py] = pts[0]!.split(",");
      parts.push(`<circle cx="${px}" cy="${py}" r="3" fill="${color}"/>`);
    }
    // Legend entries flow left to right, each as wide as its label, wrapping to a second line.
    const entry = legendSlots[i]!;
    const lx = entry.x;
    const ly = height - 14 - (legendLines - 1 - entry.line) * 14;
    parts.push(`<line x1="${f(lx)}" y1="${ly - 4}" x2="${f(lx + 18)}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${f(lx + 22)}" y="${ly}">${escapeHtml(s.name + (s.axis === "right" ? " (right)" : ""))}</text>`);
  });
  parts.push(`</svg>`);
  return parts.join("\n");
}

function extent(values: number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  return [lo, hi];
}

/** "Nice" tick values (1, 2, 5 × 10^k steps) covering [lo, hi]. */
function ticks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

function logTicks(lo: number, hi: number): number[] {
  const vlo = 10 ** lo, vhi = 10 ** hi;
  if (hi - lo <= 1.3) return ticks(vlo, vhi, 5).filter((v) => v > 0);
  const out: number[] = [];
  for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
    for (const m of hi - lo <= 3 ? [1, 2, 5] : [1]) {
      const v = m * 10 ** k;
      if (v >= vlo * (1 - 1e-9) && v <= vhi * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

function label(v: number): string {
  if (v === 0) return "0";
  const abs = Math.abs(v);
  return abs >= 1e5 || abs < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(4)));
}

function f(v: number): string {
  return v.toFixed(1);
}

/**
 * p-value histograms against the uniform distribution: under a true null a valid test's p-values are
 * uniform on [0, 1], so the bars should hug the dashed line; a spike near 0 is power (or, on pairs known to
 * be independent, a miscalibrated test). Several series (e.g. all pairs, and the pairs the ground truth
 * says are independent) are drawn side by side in each bin. Plain SVG, pure function.
 */
import { escapeXml } from "./heatmap.ts";

export interface PValueSeries {
  name: string;
  values: number[];
  color?: string;
}

const COLORS = ["#4e79a7", "#f28e2b", "#59a14f"];

export function pValueHistogramSvg(options: { title: string; series: PValueSeries[]; bins?: number; width?: number }): string {
  const bins = options.bins ?? 10;
  const width = options.width ?? 380, height = 250;
  const m = { left: 50, right: 12, top: 30, bottom: 58 };
  const plotW = width - m.left - m.right, plotH = height - m.top - m.bottom;
  const series = options.series.map((s, i) => {
    const finite = s.values.filter((v) => Number.isFinite(v) && v >= 0 && v <= 1);
    const counts = new Array<number>(bins).fill(0);
    for (const v of finite) counts[Math.min(bins - 1, Math.floor(v * bins))]!++;
    // Densities, so series of different sizes share one axis (uniform = 1).
    return { ...s, n: finite.length, density: counts.map((c) => (finite.length ? (c * bins) / finite.length : 0)), counts, color: s.color ?? COLORS[i % COLORS.length]! };
  });
  const yMax = Math.max(2, ...series.flatMap((s) => s.density)) * 1.05;
  const y = (d: number) => m.top + plotH * (1 - d / yMax);
  const binW = plotW / bins, barW = (binW - 2) / Math.max(1, series.length);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${m.left}" y="18" font-size="13" font-weight="bold">${escapeXml(options.title)}</text>`];
  const step = yMax > 8 ? 2 : yMax > 4 ? 1 : 0.5;
  for (let t = 0; t <= yMax; t += step) {
    out.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eeeeee"/>`,
      `<text x="${m.left - 5}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`);
  }
  series.forEach((s, k) => {
    s.density.forEach((d, b) => {
      const x = m.left + b * binW + 1 + k * barW;
      const lo = (b / bins).toFixed(2), hi = ((b + 1) / bins).toFixed(2);
      out.push(`<rect class="bar" x="${x.toFixed(1)}" y="${y(d).toFixed(1)}" width="${barW.toFixed(1)}" height="${(m.top + plotH - y(d)).toFixed(1)}" fill="${s.color}"><title>${escapeXml(`${s.name}: ${s.counts[b]} of ${s.n} p-values in [${lo}, ${hi})`)}</title></rect>`);
    });
  });
  out.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${y(1).toFixed(1)}" y2="${y(1).toFixed(1)}" stroke="#333333" stroke-dasharray="5 3"><title>uniform: the expected height under the null</title></line>`);
  out.push(`<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999999"/>`);
  for (let b = 0; b <= bins; b += bins >= 10 ? 2 : 1) {
    out.push(`<text x="${(m.left + b * binW).toFixed(1)}" y="${m.top + plotH + 14}" text-anchor="middle">${(b / bins).toFixed(1)}</text>`);
  }
  out.push(`<text x="${m.left + plotW / 2}" y="${m.top + plotH + 28}" text-anchor="middle">p-value</text>`,
    `<text transform="translate(13,${m.top + plotH / 2}) rotate(-90)" text-anchor="middle">density</text>`);
  let lx = m.left;
  for (const s of [...series, { name: "uniform", color: "", n: -1 }]) {
    const ly = height - 8;
    out.push(s.n < 0 ? `<line x1="${lx}" x2="${lx + 16}" y1="${ly - 4}" y2="${ly - 4}" stroke="#333333" stroke-dasharray="5 3"/>`
      : `<rect x="${lx}" y="${ly - 9}" width="12" height="10" fill="${s.color}"/>`);
    const label = s.n < 0 ? s.name : `${s.name} (${s.n})`;
    out.push(`<text x="${lx + 20}" y="${ly}">${escapeXml(label)}</text>`);
    lx += 32 + label.length * 6.5;
  }
  out.push(`</svg>`);
  return out.join("\n");
}

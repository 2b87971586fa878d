/**
 * A causal graph (discovery's Graph: PC output, a true DAG or CPDAG) as Graphviz DOT, SVG and PNG. Each edge is
 * drawn once with its two endpoint marks (tail, arrow, circle), so CPDAGs and PAGs read as causal-learn prints them.
 */
import { edgesJson } from "../discovery/export.ts";
import type { Graph, Mark } from "../discovery/graph.ts";
import { renderDot } from "./graphviz.ts";
import { svgToPng } from "./png.ts";

const dotQuote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const dotArrow: Record<Mark, string> = { tail: "none", arrow: "normal", circle: "odot" };

export interface DotOptions {
  title?: string;
  /** Per-edge label, e.g. a bootstrap frequency, keyed "from|to" as in edgesJson. */
  edgeLabels?: Map<string, string>;
  /** Node fill colours by name. */
  nodeColors?: Map<string, string>;
}

/** Graphviz DOT: each edge drawn once with its two marks (dir=both, arrowtail/arrowhead). */
export function toDot(graph: Graph, options: DotOptions = {}): string {
  const lines = [`digraph G {`, `  graph [rankdir=TB, fontname="DejaVu Sans"${options.title ? `, label=${dotQuote(options.title)}, labelloc=t` : ""}];`,
    `  node [shape=ellipse, style=filled, fillcolor="#eef2f6", color="#1d3557", fontname="DejaVu Sans", fontsize=12];`,
    `  edge [color="#1d3557", fontname="DejaVu Sans", fontsize=10];`];
  for (const name of graph.nodes) {
    const fill = options.nodeColors?.get(name);
    lines.push(`  ${dotQuote(name)}${fill ? ` [fillcolor=${dotQuote(fill)}]` : ""};`);
  }
  for (const e of edgesJson(graph)) {
    const attrs = [`dir=both`, `arrowtail=${dotArrow[e.atFrom]}`, `arrowhead=${dotArrow[e.atTo]}`];
    const label = options.edgeLabels?.get(`${e.from}|${e.to}`);
    if (label) attrs.push(`label=${dotQuote(label)}`);
    if (e.kind !== "directed") attrs.push(`constraint=${e.kind === "undirected" ? "true" : "false"}`);
    lines.push(`  ${dotQuote(e.from)} -> ${dotQuote(e.to)} [${attrs.join(", ")}];`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}

export async function renderGraphSvg(graph: Graph, options: DotOptions = {}): Promise<string> {
  return renderDot(toDot(graph, options));
}

export async function renderGraphPng(graph: Graph, options: DotOptions & { width?: number } = {}): Promise<Uint8Array> {
  return svgToPng(await renderGraphSvg(graph, options), { width: options.width });
}

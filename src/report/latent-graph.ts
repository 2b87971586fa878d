/**
 * The latent causal graph as DOT and SVG: one cluster per modality, shared latents on top (boxes).
 * Rendered by the one Graphviz loader (graphviz.ts).
 * `adjacency[i][j]` = 1 means i → j; both directions set means an undirected edge (a CPDAG's i — j).
 */
import { renderDot } from "./graphviz.ts";

export interface LatentGraphSpec {
  names: string[];
  adjacency: number[][];
  /** -1 = shared latent, else the modality index of each latent. */
  owner: number[];
  modalityNames: string[];
  title?: string;
  /** Optional edge labels (e.g. learned weights), same shape as adjacency. */
  weights?: number[][];
}

export function latentGraphDot(spec: LatentGraphSpec): string {
  const q = (s: string) => `"${s.replace(/["\\]/g, "\\$&")}"`;
  const lines = [
    "digraph latents {",
    '  graph [rankdir=TB, fontname="DejaVu Sans", fontsize=12' + (spec.title ? `, label=${q(spec.title)}, labelloc=t` : "") + "];",
    '  node [fontname="DejaVu Sans", fontsize=11, shape=ellipse, style=filled, fillcolor="#eef2f6"];',
    '  edge [fontname="DejaVu Sans", fontsize=9];',
  ];
  const shared = spec.names.filter((_, i) => spec.owner[i] === -1);
  if (shared.length) lines.push(`  { rank=min; ${shared.map((n) => `${q(n)} [shape=box, fillcolor="#fde2c8"];`).join(" ")} }`);
  spec.modalityNames.forEach((m, mi) => {
    const members = spec.names.filter((_, i) => spec.owner[i] === mi);
    if (!members.length) return;
    lines.push(`  subgraph cluster_${mi} { label=${q(m)}; color="#9aa8b8"; ${members.map((n) => `${q(n)};`).join(" ")} }`);
  });
  const L = spec.names.length;
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < L; j++) {
      if (!spec.adjacency[i]![j]) continue;
      const undirected = spec.adjacency[j]![i];
      if (undirected && j < i) continue;
      const attrs: string[] = [];
      if (undirected) attrs.push("dir=none");
      const w = spec.weights?.[i]?.[j];
      if (w !== undefined) attrs.push(`label=${q(w.toFixed(2))}`);
      lines.push(`  ${q(spec.names[i]!)} -> ${q(spec.names[j]!)}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
    }
  }
  lines.push("}");
  return lines.join("\n");
}

export async function latentGraphSvg(spec: LatentGraphSpec): Promise<string> {
  return renderDot(latentGraphDot(spec));
}

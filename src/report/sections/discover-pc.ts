/**
 * Report section for a `personax discover pc` folder (graph.json): the learned graph (edge labels = bootstrap
 * adjacency frequency when there was a bootstrap), the true graph beside it when the folder holds
 * truth-graph.json (with SHD and adjacency/arrowhead F1), a p-value histogram of the CI tests, and the tests.
 */
import { basename } from "node:path";
import { graphFromJson, type GraphJson } from "../../discovery/export.ts";
import { compareGraphs } from "../../discovery/metrics/index.ts";
import { renderGraphSvg } from "../graph-dot.ts";
import { htmlTable, svgFigure } from "../html.ts";
import { pValueHistogramSvg } from "../pvalue-histogram.ts";
import type { RunSection } from "./types.ts";

export const TRUTH_GRAPH_FILE = "truth-graph.json";

interface BootstrapPair { a: string; b: string; frequency: Record<string, number> }

export const pcRunSection: RunSection = {
  kind: "discover-pc",
  title: (run) => `Causal discovery (PC-stable): ${basename(String(run.manifest.params["data"] ?? run.dir))}`,
  async render(run) {
    const json = await run.readJson<GraphJson>("graph.json");
    if (!json) return `<p class="bad">No graph.json in this folder.</p>`;
    const graph = graphFromJson(json);
    const settings = (json["settings"] ?? {}) as { test?: string; alpha?: number };
    const pairs = ((json["bootstrap"] as { pairs?: BootstrapPair[] } | undefined)?.pairs) ?? [];
    const edgeLabels = pairs.length ? new Map(json.edges.map((e) => {
      const p = pairs.find((q) => (q.a === e.from && q.b === e.to) || (q.a === e.to && q.b === e.from));
      return [`${e.from}|${e.to}`, p ? (1 - (p.frequency["none"] ?? 0)).toFixed(2) : ""];
    })) : undefined;
    const learnedSvg = await renderGraphSvg(graph, { title: `PC (${settings.test ?? "?"}, alpha = ${settings.alpha ?? "?"})`, edgeLabels });
    const figures = [svgFigure(learnedSvg, pairs.length ? "Learned graph; edge labels = fraction of bootstrap replicates keeping the adjacency" : "Learned graph")];
    const parts: string[] = [];
    const truthJson = await run.readJson<GraphJson>(TRUTH_GRAPH_FILE);
    let scores = "";
    if (truthJson) {
      const truth = graphFromJson(truthJson);
      figures.unshift(svgFigure(await renderGraphSvg(truth, { title: "True graph (target)" }), `True graph (${TRUTH_GRAPH_FILE})`));
      const c = compareGraphs(truth, graph);
      scores = htmlTable(["SHD", "skeleton SHD", "adjacency precision", "adjacency recall", "adjacency F1", "arrowhead precision", "arrowhead recall", "arrowhead F1"],
        [[c.shd, c.skeletonShd, c.adjacency.precision, c.adjacency.recall, c.adjacency.f1, c.arrowhead.precision, c.arrowhead.recall, c.arrowhead.f1]], 3);
    }
    const distinct = json.tests.filter((t) => !t.cached);
    figures.push(svgFigure(pValueHistogramSvg({ title: `${settings.test ?? "CI test"}: p-values of PC's tests`, series: [{ name: "distinct CI tests", values: distinct.map((t) => t.p) }] }),
      "p-values of the distinct CI tests PC ran, against uniform (dashed); PC tests adjacent pairs too, so a spike at 0 is expected"));
    parts.push(`<p>${json.nodes.length} variables, ${json.edges.length} edges, ${distinct.length} distinct CI tests (${json.tests.length} calls).</p>`);
    parts.push(`<div class="grid">${figures.join("")}</div>`);
    if (scores) parts.push(`<p>Learned graph against the true graph:</p>${scores}`);
    parts.push(htmlTable(["edge", "kind"], json.edges.map((e) => [e.text, e.kind])));
    if (pairs.length) {
      parts.push(`<details><summary>Bootstrap: edge types per pair (${pairs.length})</summary>` +
        htmlTable(["pair", "none", "a→b", "b→a", "a—b"], pairs.map((p) => [`${p.a} – ${p.b}`, p.frequency["none"], p.frequency["a->b"], p.frequency["b->a"], p.frequency["a--b"]]), 3) + `</details>`);
    }
    parts.push(`<details><summary>Every CI test PC asked (${json.tests.length}; click a header to sort)</summary><div class="table-scroll">` +
      htmlTable(["x", "y", "conditioning set", "p", "cached"], json.tests.map((t) => [t.x, t.y, t.S.join(", ") || "∅", t.p, t.cached ? "yes" : "no"]), 3) + `</div></details>`);
    return parts.join("\n");
  },
};

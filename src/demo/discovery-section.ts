import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { dagToCpdag } from "../discovery/cpdag.ts";
import { discoverPc } from "../discovery/discover.ts";
import { graphFromJson, graphToJson, type GraphJson } from "../discovery/export.ts";
import { compareGraphs } from "../discovery/metrics/index.ts";
import { randomDag, sampleLinearGaussian } from "../discovery/random-dag.ts";
import { renderGraphSvg } from "../report/graph-dot.ts";
import { svgFigure } from "../report/html.ts";
import { TRUTH_GRAPH_FILE } from "../report/sections/discover-pc.ts";
import { Rng } from "../util/rng.ts";
import type { DemoSection } from "./types.ts";

const ALPHA = 0.05;

/**
 * Causal discovery on data with a known answer: a random DAG, linear-Gaussian data drawn from it (written as
 * data.csv), then `discoverPc` — the library function behind `personax discover pc` — with Fisher-z and a
 * bootstrap. The true CPDAG (the best any PC can do) goes next to its output as truth-graph.json, so the
 * report scores the learned graph against it.
 */
export const discoverySection: DemoSection = {
  id: "discovery",
  title: "Causal discovery (PC-stable)",
  async run(ctx) {
    const rng = new Rng(ctx.seed).fork(4);
    const nodes = ctx.quick ? 8 : 12, rows = ctx.quick ? 500 : 2000, replicates = ctx.quick ? 10 : 30;
    const dag = randomDag(nodes, 2.5 / (nodes - 1), rng.fork(0));
    const { data } = sampleLinearGaussian(dag, rows, rng.fork(1));
    const truth = dagToCpdag(dag);

    const dir = join(ctx.dir, "discovery");
    await mkdir(dir, { recursive: true });
    const csv = [dag.nodes.join(",")];
    for (let i = 0; i < data.rows; i++) csv.push(Array.from(data.data.subarray(i * data.cols, (i + 1) * data.cols), (v) => String(v)).join(","));
    const dataPath = join(dir, "data.csv");
    await writeFile(dataPath, csv.join("\n") + "\n");
    await discoverPc({ data: dataPath, test: "fisherz", alpha: ALPHA, bootstrap: replicates, seed: ctx.seed, out: dir });
    await writeFile(join(dir, TRUTH_GRAPH_FILE), JSON.stringify(graphToJson(truth), null, 2) + "\n");
    const learned = graphFromJson(JSON.parse(await readFile(join(dir, "graph.json"), "utf8")) as GraphJson);
    const scores = compareGraphs(truth, learned);
    const dagSvg = await renderGraphSvg(dag, { title: "True DAG" });
    await writeFile(join(dir, "true-dag.svg"), dagSvg);

    const html = `<p>A random DAG over ${nodes} variables (${dag.edgeCount()} edges), ${rows} rows of linear-Gaussian data drawn
from it (weights ±[0.5, 1.5], unit noise), then PC-stable with Fisher-z at α = ${ALPHA} (causal-learn 0.1.4.7 semantics) and
${replicates} bootstrap replicates, run as <code>personax discover pc --data discovery/data.csv --test fisherz --bootstrap ${replicates} --out discovery</code>
would. The next section draws that folder; its learned graph is scored against the CPDAG of the true DAG below.</p>
<div class="grid">${svgFigure(dagSvg, "The true DAG the data was drawn from")}</div>`;
    ctx.artifacts.set("discovery", { shd: scores.shd, adjacencyF1: scores.adjacency.f1, arrowheadF1: scores.arrowhead.f1 });
    return { id: "discovery", title: "Causal discovery (PC-stable)", html, runs: [dir] };
  },
};

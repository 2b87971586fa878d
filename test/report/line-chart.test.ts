import { test } from "node:test";
import assert from "node:assert/strict";
import { lineChartSvg } from "../../src/report/line-chart.ts";
import { latentGraphDot, latentGraphSvg } from "../../src/report/latent-graph.ts";

test("lineChartSvg draws one polyline per series, a legend, escaped labels and a right axis when asked", () => {
  const svg = lineChartSvg({
    title: "loss <train>",
    xLabel: "epoch",
    yLabel: "loss",
    yLabelRight: "MCC",
    series: [
      { name: "train", points: [[1, 2], [2, 1], [3, 0.5]] },
      { name: "MCC", axis: "right", points: [[1, 0.2], [3, 0.8]] },
      { name: "empty", points: [] },
    ],
  });
  assert.equal((svg.match(/<polyline/g) ?? []).length, 2);
  assert.match(svg, /loss &lt;train&gt;/);
  assert.match(svg, /MCC \(right\)/);
  assert.ok(!svg.includes("NaN"));
});

test("lineChartSvg on a log scale drops non-positive values instead of producing NaN coordinates", () => {
  const svg = lineChartSvg({ title: "t", xLabel: "x", yLabel: "y", logY: true, series: [{ name: "s", points: [[1, 10], [2, 0], [3, 0.1]] }] });
  assert.ok(!svg.includes("NaN"));
  assert.match(svg, /\(log scale\)/);
});

test("latentGraphDot clusters latents by modality, boxes shared latents, and draws directed and undirected edges", async () => {
  const spec = {
    names: ["S1", "Z11", "Z21"], owner: [-1, 0, 1], modalityNames: ["image", "text"],
    adjacency: [[0, 1, 0], [0, 0, 1], [0, 1, 0]],
  };
  const dot = latentGraphDot(spec);
  assert.match(dot, /subgraph cluster_0 \{ label="image"/);
  assert.match(dot, /"S1" \[shape=box/);
  assert.match(dot, /"S1" -> "Z11";/);
  assert.match(dot, /"Z11" -> "Z21" \[dir=none\]/);
  assert.equal((dot.match(/->/g) ?? []).length, 2);
  const svg = await latentGraphSvg(spec);
  assert.match(svg, /<svg/);
});

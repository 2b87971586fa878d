import { test } from "node:test";
import assert from "node:assert/strict";
import { heatColor, pValueHeatmap } from "../../src/report/heatmap.ts";
import { svgToPng } from "../../src/report/png.ts";

const spec = {
  title: "KCI <traits> × features",
  rows: ["final_o", "final_c"],
  groups: [{ label: "final", columns: ["Year", "Gender"] }, { label: "gpt", columns: ["Year", "Gender"] }],
  cell: (row: string, group: string, col: string) =>
    row === "final_c" && col === "Gender" && group === "gpt" ? { p: null, note: "constant column" }
      : { p: row === "final_o" ? 1e-12 : 0.5, reject: row === "final_o" },
};

test("pValueHeatmap draws one cell per (row, group, column), dots for rejections and crosses for missing tests", () => {
  const svg = pValueHeatmap(spec);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svg.match(/<g class="cell/g) ?? []).length, 2 * 2 * 2);
  assert.equal((svg.match(/<g class="cell missing"/g) ?? []).length, 1);
  assert.equal((svg.match(/<circle /g) ?? []).length, 4 + 1); // 4 rejected cells + the legend dot
  assert.ok(svg.includes("KCI &lt;traits&gt; × features"), "titles are XML-escaped");
  assert.ok(svg.includes(">gpt<") && svg.includes(">final<"), "group labels are drawn");
  assert.ok(svg.includes("constant column"), "the reason a cell is missing is in its tooltip");
});

test("heatColor maps 0 → lightest and 1 → darkest, clamping outside [0, 1]", () => {
  assert.equal(heatColor(0), "#f7fbff");
  assert.equal(heatColor(1), "#08306b");
  assert.equal(heatColor(-3), "#f7fbff");
  assert.equal(heatColor(7), "#08306b");
});

test("the heatmap SVG renders to a PNG", () => {
  const png = svgToPng(pValueHeatmap(spec));
  assert.deepEqual([...png.slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.ok(png.length > 1000);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { icc } from "../../src/traits/icc.ts";
import { krippendorffAlpha } from "../../src/traits/krippendorff-alpha.ts";
import { spearman } from "../../src/traits/spearman.ts";

// Published values are given to 2 (Shrout & Fleiss) or 3 (Krippendorff) decimals: compare after rounding.
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

test("icc() reproduces Shrout & Fleiss (1979) Table 2 (6 targets × 4 judges)", () => {
  const table = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]];
  const r = icc(table);
  assert.equal(round(r.icc1, 2), 0.17);
  assert.equal(round(r.icc2, 2), 0.29);
  assert.equal(round(r.icc3, 2), 0.71);
  assert.equal(round(r.icc1k, 2), 0.44);
  assert.equal(round(r.icc2k, 2), 0.62);
  assert.equal(round(r.icc3k, 2), 0.91);
  assert.equal(r.n, 6);
});

test("icc() drops targets with a missing rating and is 1 for identical judges", () => {
  const r = icc([[1, 1, 1], [2, 2, 2], [3, 3, 3], [2, NaN, 2]]);
  assert.equal(r.n, 3);
  assert.equal(r.icc2, 1);
  assert.equal(r.icc3k, 1);
});

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers × 12 units.
const krippendorffC = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, NaN, NaN, NaN],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NaN, 3],
  [NaN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NaN],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NaN],
];

test("krippendorffAlpha() reproduces Krippendorff's worked example: nominal .743, ordinal .815, interval .849", () => {
  assert.equal(round(krippendorffAlpha(krippendorffC, "nominal"), 3), 0.743);
  assert.equal(round(krippendorffAlpha(krippendorffC, "ordinal"), 3), 0.815);
  assert.equal(round(krippendorffAlpha(krippendorffC, "interval"), 3), 0.849);
});

test("krippendorffAlpha() matches the 3-coder × 15-unit example (nominal .691358, interval .810845)", () => {
  const data = [
    [NaN, NaN, NaN, NaN, NaN, 3, 4, 1, 2, 1, 1, 3, 3, NaN, 3],
    [1, NaN, 2, 1, 3, 3, 4, 3, NaN, NaN, NaN, NaN, NaN, NaN, NaN],
    [NaN, NaN, 2, 1, 3, 4, 4, NaN, 2, 1, 1, 3, 3, NaN, 4],
  ];
  assert.equal(round(krippendorffAlpha(data, "nominal"), 6), 0.691358);
  assert.equal(round(krippendorffAlpha(data, "interval"), 6), 0.810845);
});

test("spearman() uses average ranks for ties and pairwise deletion", () => {
  // Ranks [1, 2.5, 2.5, 4, 5] and [2, 1, 3.5, 3.5, 5]: ρ = Σdxdy / sqrt(Σdx²Σdy²) = 7.25 / 9.5 by hand.
  const r = spearman([1, 2, 2, 3, 4, NaN], [2, 1, 3, 3, 5, 7]);
  assert.equal(r.n, 5);
  assert.ok(Math.abs(r.rho - 7.25 / 9.5) < 1e-12, String(r.rho));
  assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3]).rho));
});

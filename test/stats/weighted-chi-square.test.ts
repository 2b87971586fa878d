import { test } from "node:test";
import assert from "node:assert/strict";
import { hbe, lpb4, weightedChiSquareMoments } from "../../src/stats/weighted-chi-square.ts";

test("lpb4 reproduces momentchi2's documented examples (Johnson, Kotz & Balakrishnan table 18.6)", () => {
  // momentchi2 docstring: lpb4([1.5, 1.5, 0.5, 0.5], 10.203) = 0.9500092, (…, 0.627) = 0.05001144
  assert.ok(Math.abs(lpb4([1.5, 1.5, 0.5, 0.5], 10.203).cdf - 0.9500092) < 1e-7);
  assert.ok(Math.abs(lpb4([1.5, 1.5, 0.5, 0.5], 0.627).cdf - 0.05001144) < 1e-8);
  const r = lpb4([1.5, 1.5, 0.5, 0.5], 10.203);
  assert.ok(Math.abs(r.cdf + r.upper - 1) < 1e-14, "upper tail and cdf are complementary");
});

test("hbe reproduces momentchi2's documented examples", () => {
  assert.ok(Math.abs(hbe([1.5, 1.5, 0.5, 0.5], 10.203).cdf - 0.94908) < 1e-5);
  assert.ok(Math.abs(hbe([1.5, 1.5, 0.5, 0.5], 0.627).cdf - 0.02857) < 1e-5);
});

test("lpb4 falls back to hbe with fewer than four weights and rejects non-positive input", () => {
  assert.deepEqual(lpb4([0.5, 0.3, 0.2], 2.708), hbe([0.5, 0.3, 0.2], 2.708));
  assert.throws(() => lpb4([1, 0, 2, 3], 1), /strictly > 0/);
  assert.throws(() => lpb4([1, 2, 3, 4], 0), /strictly > 0/);
});

test("weightedChiSquareMoments gives the raw moments of Σ c_i χ²₁ (χ²₁: 1, 3, 15, 105)", () => {
  const m = weightedChiSquareMoments([1], 2);
  assert.deepEqual(Array.from(m), [1, 3, 15, 105]);
});

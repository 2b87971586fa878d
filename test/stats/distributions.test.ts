import { test } from "node:test";
import assert from "node:assert/strict";
import { chiSquareUpperTail, gammaUpperTail, normalTwoSidedP, gammaCdf } from "../../src/stats/distributions.ts";
import { gammaP, gammaQ } from "../../src/stats/incomplete-gamma.ts";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

test("chiSquareUpperTail matches scipy's chi2.sf, including thousands of degrees of freedom", () => {
  // scipy 1.17 values; @stdlib's gammainc was 3 % off for the first one.
  assert.ok(rel(chiSquareUpperTail(3376.5461712470124, 3185), 0.009093723094183749) < 1e-12);
  assert.ok(rel(chiSquareUpperTail(250, 100), 7.76693640353949e-15) < 1e-10);
});

test("gammaQ keeps relative precision deep in the tail where 1 − cdf would read 0", () => {
  assert.ok(rel(gammaQ(0.5, 30), 9.485737571073857e-15) < 1e-12);
  assert.ok(rel(gammaQ(7.2, 500), 3.719291897045985e-204) < 1e-10);
  assert.ok(rel(gammaP(1, 1e-5), 9.999950000166668e-6) < 1e-12);
  assert.ok(rel(gammaUpperTail(1000, 2, 3), gammaQ(2, 1000 / 3)) < 1e-15);
  assert.ok(Math.abs(gammaP(3.3, 2.1) + gammaQ(3.3, 2.1) - 1) < 1e-15);
  assert.equal(gammaCdf(-1, 2, 1), 0);
  assert.equal(gammaUpperTail(0, 2, 1), 1);
});

test("normalTwoSidedP is 2·(1 − Φ(|z|)) computed from erfc (no underflow until the double range ends)", () => {
  assert.ok(rel(normalTwoSidedP(9), 2.2571768119076647e-19) < 1e-12);
  assert.ok(rel(normalTwoSidedP(-9), 2.2571768119076647e-19) < 1e-12);
  // mpmath: erfc(20/√2) = 5.507248237212467e-89, erfc(37/√2) = 1.1451142445049154e-299
  assert.ok(rel(normalTwoSidedP(20), 5.507248237212467e-89) < 1e-12);
  assert.ok(rel(normalTwoSidedP(37), 1.1451142445049154e-299) < 1e-9);
  assert.equal(normalTwoSidedP(0), 1);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fromRows } from "../../src/linalg/matrix.ts";
import { mcc } from "../../src/crl/metrics/mcc.ts";
import { r2HeldOut, r2InSample } from "../../src/crl/metrics/r2.ts";
import { linearSumAssignment } from "../../src/crl/metrics/assignment.ts";
import { alignToTruth, shd } from "../../src/crl/metrics/shd.ts";
import { averageRanks } from "../../src/crl/metrics/correlation.ts";
import { Rng } from "../../src/util/rng.ts";

// The fixture stores scipy/sklearn doubles; summation order differs, so agreement is to rounding, far
// inside the 1e-6.
const TOL = 1e-6;

interface Expected {
  corr: number[][]; row_ind: number[]; col_ind: number[]; matched_abs_r: number[]; mcc: number;
}
interface FixtureCase {
  name: string; d_true: number; d_pred: number; Z: number[][]; Zhat: number[][];
  expected: { pearson: Expected; spearman: Expected; r2_insample: number; r2_insample_raw_values: number[]; r2_heldout: number; r2_heldout_raw_values: number[] };
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/crl/crl_metrics.json", import.meta.url), "utf8")) as { cases: FixtureCase[] };

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= TOL, `${what}: ${a} vs ${b}`);

for (const c of fixture.cases) {
  const Z = fromRows(c.Z), Zhat = fromRows(c.Zhat);
  for (const method of ["pearson", "spearman"] as const) {
    test(`mcc(Z, Zhat, { method: "${method}" }) matches scipy's correlation and linear_sum_assignment within 1e-6 (crl_metrics/${c.name})`, () => {
      const exp = c.expected[method];
      const got = mcc(Z, Zhat, { method });
      got.corr.forEach((row, i) => row.forEach((r, j) => close(r, exp.corr[i]![j]!, `corr[${i}][${j}]`)));
      assert.deepEqual(got.rowInd, exp.row_ind);
      assert.deepEqual(got.colInd, exp.col_ind);
      got.matchedAbsR.forEach((r, k) => close(r, exp.matched_abs_r[k]!, `matched ${k}`));
      close(got.mcc, exp.mcc, "mcc");
    });
  }
  test(`r2InSample and r2HeldOut match sklearn KernelRidge(rbf) + r2_score within 1e-6 (crl_metrics/${c.name})`, () => {
    const ins = r2InSample(Z, Zhat);
    close(ins.r2, c.expected.r2_insample, "r2 in-sample");
    ins.rawValues.forEach((v, j) => close(v, c.expected.r2_insample_raw_values[j]!, `in-sample dim ${j}`));
    const held = r2HeldOut(Z, Zhat);
    close(held.r2, c.expected.r2_heldout, "r2 held-out");
    held.rawValues.forEach((v, j) => close(v, c.expected.r2_heldout_raw_values[j]!, `held-out dim ${j}`));
  });
}

test("mcc with padding \"random-normal\" (PersonaX calculate_mcc) averages over every true latent", () => {
  const c = fixture.cases.find((k) => k.d_pred < k.d_true)!;
  const got = mcc(fromRows(c.Z), fromRows(c.Zhat), { padding: "random-normal", rng: new Rng(1) });
  assert.equal(got.matchedAbsR.length, c.d_true);
  // The random column matches the unrecovered latent with |r| near 0, so the mean drops below the rectangular one.
  assert.ok(got.mcc < c.expected.pearson.mcc && got.mcc > 0.5 * c.expected.pearson.mcc);
});

test("linearSumAssignment handles wide and tall matrices like scipy (rows sorted, transposed solve)", () => {
  assert.deepEqual(linearSumAssignment([[4, 1, 3], [2, 0, 5], [3, 2, 2]]), { rowInd: [0, 1, 2], colInd: [1, 0, 2] });
  assert.deepEqual(linearSumAssignment([[1, 9], [9, 1], [0, 0]]), { rowInd: [1, 2], colInd: [1, 0] }); // scipy: ([1, 2], [1, 0])
  assert.deepEqual(linearSumAssignment([[1, 2, 0]]), { rowInd: [0], colInd: [2] });
  assert.deepEqual(linearSumAssignment([[1, 2], [3, 5]], true), { rowInd: [0, 1], colInd: [0, 1] });
});

test("averageRanks gives tied values their mean rank", () => {
  assert.deepEqual(Array.from(averageRanks(Float64Array.from([3, 1, 3, 2]))), [3.5, 1, 3.5, 2]);
});

test("shd counts missing, extra and reversed edges once each; alignToTruth re-indexes learned latents", () => {
  const truth = [[0, 1, 0], [0, 0, 1], [0, 0, 0]];
  assert.equal(shd(truth, truth), 0);
  assert.equal(shd(truth, [[0, 0, 0], [1, 0, 1], [1, 0, 0]]), 2); // reversed 0-1, extra 0-2
  assert.equal(shd(truth, [[0, 1, 0], [1, 0, 1], [0, 0, 0]]), 1); // 0—1 undirected
  // learned dim 0 is true 2, 1 is true 0, 2 is true 1
  const aligned = alignToTruth([[0, 0, 0], [0, 0, 1], [0, 0, 0]], [0, 1, 2], [1, 2, 0], 3);
  assert.deepEqual(aligned, [[0, 1, 0], [0, 0, 0], [0, 0, 0]]);
});

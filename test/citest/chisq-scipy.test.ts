import { test } from "node:test";
import assert from "node:assert/strict";
import { fromColumns } from "../../src/linalg/matrix.ts";
import { chisqScipy } from "../../src/citest/chisq-scipy.ts";

/** Rows of (x, y) pairs reproducing a contingency table. */
function fromTable(table: number[][]) {
  const x: number[] = [], y: number[] = [];
  table.forEach((row, a) => row.forEach((count, b) => { for (let i = 0; i < count; i++) { x.push(a); y.push(b * 10); } }));
  return fromColumns([Float64Array.from(x), Float64Array.from(y)]);
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.abs(b);

test("chisq-scipy applies Yates' correction on a 2 × 2 table, as scipy's chi2_contingency (scipy 1.17 values)", () => {
  const r = chisqScipy.prepare(fromTable([[10, 20], [30, 15]]))(0, 1, []);
  assert.ok(close(r.statistic!, 6.752232142857143), `${r.statistic}`);
  assert.ok(close(r.pValue, 0.00936304763753395), `${r.pValue}`);
  assert.equal(r.dof, 1);
  assert.equal((r.details as { yates: boolean }).yates, true);
  const plain = chisqScipy.prepare(fromTable([[10, 20], [30, 15]]), { correction: false })(0, 1, []);
  assert.ok(close(plain.statistic!, 8.035714285714285) && close(plain.pValue, 0.0045863920802535025));
});

test("chisq-scipy uses no correction beyond 2 × 2", () => {
  const r = chisqScipy.prepare(fromTable([[10, 20, 5], [30, 15, 9]]))(0, 1, []);
  assert.ok(close(r.statistic!, 8.173469387755102) && close(r.pValue, 0.01679398161634401));
  assert.equal(r.dof, 2);
});

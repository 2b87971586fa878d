import { test } from "node:test";
import assert from "node:assert/strict";
import { benjaminiHochberg } from "../../src/stats/benjamini-hochberg.ts";

test("benjaminiHochberg(p) equals R's p.adjust(p, 'BH') and keeps input order", () => {
  const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5]);
  const expected = [0.025, 0.05, 0.05, 0.025, 0.5];
  expected.forEach((e, i) => assert.ok(Math.abs(q[i]! - e) < 1e-15, `q[${i}] = ${q[i]}`));
});

test("benjaminiHochberg leaves NaN (failed tests) out of m and returns NaN for them", () => {
  const q = benjaminiHochberg([0.01, Number.NaN, 0.02]);
  assert.ok(Number.isNaN(q[1]!));
  assert.ok(Math.abs(q[0]! - 0.02) < 1e-15 && Math.abs(q[2]! - 0.02) < 1e-15);
  assert.equal(benjaminiHochberg([]).length, 0);
  assert.ok(benjaminiHochberg([0.9, 0.95]).every((v) => v <= 1));
});

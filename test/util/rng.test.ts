import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/util/rng.ts";

test("Rng(seed) replays the same stream for the same seed and differs across seeds", () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xa = Array.from({ length: 5 }, () => a.uniform());
  const xb = Array.from({ length: 5 }, () => b.uniform());
  const xc = Array.from({ length: 5 }, () => c.uniform());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
});

test("Rng.uniform() lies in [0, 1) with mean 1/2 and variance 1/12", () => {
  const rng = new Rng(7);
  const n = 200_000;
  let sum = 0, sumSq = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    assert.ok(u >= 0 && u < 1);
    sum += u; sumSq += u * u;
  }
  const mean = sum / n;
  assert.ok(Math.abs(mean - 0.5) < 0.005);
  assert.ok(Math.abs(sumSq / n - mean * mean - 1 / 12) < 0.002);
});

test("Rng.normal() has mean 0 and variance 1", () => {
  const rng = new Rng(11);
  const x = rng.normals(200_000);
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
  assert.ok(Math.abs(mean) < 0.01);
  assert.ok(Math.abs(variance - 1) < 0.01);
});

test("Rng.fork(label) gives distinct reproducible streams", () => {
  const base = new Rng(5);
  assert.equal(base.fork(1).uniform(), new Rng(5).fork(1).uniform());
  assert.notEqual(base.fork(1).uniform(), base.fork(2).uniform());
});

test("Rng.permutation(n) is a permutation", () => {
  const p = new Rng(3).permutation(50);
  assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
});

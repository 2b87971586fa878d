import { test } from "node:test";
import assert from "node:assert/strict";
import { crlCase, crlCaseIds, generateCrlCase } from "../../src/synth/crl-cases.ts";
import { UsageError } from "../../src/errors.ts";

test("crlCase(id) defines the five issue-6 cases at n = 10,000", () => {
  const shape = (id: string) => {
    const c = crlCase(id);
    assert.equal(c.spec.nSamples, 10_000);
    return c.spec.modalities.map((m) => [m.obsDim, m.latentDim, m.measurements ?? 1]);
  };
  assert.deepEqual(shape("a"), [[15, 2, 1], [15, 2, 1]]);
  assert.deepEqual(shape("b"), [[20, 3, 1], [20, 3, 1]]);
  assert.deepEqual(shape("c"), [[30, 2, 1], [30, 2, 1], [30, 2, 1], [30, 2, 1]]);
  assert.deepEqual(shape("d"), [[15, 2, 3], [15, 2, 1]]);
  assert.deepEqual(shape("e"), [[15, 2, 1], [15, 2, 1]]);
  assert.equal(crlCase("e").spec.sharedDim, 1);
  assert.equal(crlCase("a").spec.noiseDim, 1);
  assert.deepEqual([...crlCaseIds], ["a", "b", "c", "d", "e"]);
});

test("generateCrlCase(id, seed) produces the case's observations and truth", () => {
  const d = generateCrlCase("d", 1, { nSamples: 300 });
  assert.equal(d.observations[0]!.length, 3);
  assert.equal(d.observations[0]![2]!.cols, 15);
  assert.deepEqual(d.truth.names, ["Z11", "Z12", "Z21", "Z22"]);
  const e = generateCrlCase("e", 1, { nSamples: 300 });
  assert.deepEqual(e.truth.names, ["S1", "Z11", "Z12", "Z21", "Z22"]);
});

test("crlCase rejects an unknown case id and lists the valid ones", () => {
  assert.throws(() => crlCase("z"), (e: unknown) => e instanceof UsageError && /a, b, c, d, e/.test(e.message));
});

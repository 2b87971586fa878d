/**
 * Statistical behaviour on seeded data: under independence each test's p-values are close to uniform
 * (Kolmogorov–Smirnov over 200 replications at n = 300); under dependence each test rejects.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromColumns } from "../../src/linalg/matrix.ts";
import { getCiTest } from "../../src/citest/registry.ts";
import { ksUniform } from "../../src/stats/kolmogorov-smirnov.ts";
import { Rng } from "../../src/util/rng.ts";

const REPS = 200;
const N = 300;
/** KS p-value floor: a correct test fails this by chance once in a thousand seeds (seeds are fixed). */
const KS_FLOOR = 1e-3;

type Pair = { x: Float64Array; y: Float64Array };

/** Independent x, y of the kind each test expects. */
function independent(kind: "discrete" | "continuous" | "mixed", rng: Rng): Pair {
  const x = new Float64Array(N), y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    if (kind === "discrete") { x[i] = rng.int(3); y[i] = rng.int(4); }
    else if (kind === "continuous") { x[i] = rng.normal(); y[i] = rng.normal(); }
    else { x[i] = 1 + 0.5 * rng.int(5); y[i] = Math.round(rng.normal() * 1000) / 100; } // score × continuous feature
  }
  return { x, y };
}

function dependent(kind: "discrete" | "continuous" | "mixed", rng: Rng): Pair {
  const x = new Float64Array(N), y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    if (kind === "discrete") { x[i] = rng.int(3); y[i] = rng.uniform() < 0.5 ? x[i]! : rng.int(4); }
    else {
      const v = rng.normal();
      x[i] = kind === "mixed" ? 1 + 0.5 * Math.max(0, Math.min(4, Math.round(v + 2))) : v;
      y[i] = v + 0.5 * Math.sin(3 * v) + 0.7 * rng.normal();
    }
  }
  return { x, y };
}

const cases: Array<{ test: string; kind: "discrete" | "continuous" | "mixed" }> = [
  { test: "fisherz", kind: "continuous" },
  { test: "chisq", kind: "discrete" },
  { test: "gsq", kind: "discrete" },
  { test: "chisq-scipy", kind: "discrete" },
  { test: "kci", kind: "mixed" },
  { test: "hsic", kind: "mixed" },
  { test: "hsic-std", kind: "mixed" },
  { test: "rcit", kind: "mixed" },
];

for (const { test: name, kind } of cases) {
  test(`${name}: p-values are uniform under independence (KS over ${REPS} replications, n = ${N})`, () => {
    const rng = new Rng(2026);
    const ciTest = getCiTest(name);
    const ps = Array.from({ length: REPS }, (_, rep) => {
      const { x, y } = independent(kind, rng);
      return ciTest.prepare(fromColumns([x, y]), name === "rcit" ? { seed: rep } : {})(0, 1, []).pValue;
    });
    const ks = ksUniform(ps);
    assert.ok(ks.pValue > KS_FLOOR, `KS D = ${ks.statistic.toFixed(3)}, p = ${ks.pValue.toExponential(2)}`);
  });

  test(`${name}: rejects a dependent pair (n = ${N})`, () => {
    const rng = new Rng(7);
    const { x, y } = dependent(kind, rng);
    const p = getCiTest(name).prepare(fromColumns([x, y]), {})(0, 1, []).pValue;
    assert.ok(p < 1e-3, `p = ${p}`);
  });
}

test("conditional tests: X ⫫ Y | Z holds for a chain X → Z → Y and fails for a collider X → Z ← Y", () => {
  const rng = new Rng(99);
  const n = 400;
  const x = rng.normals(n), e1 = rng.normals(n), e2 = rng.normals(n);
  const zChain = x.map((v, i) => v + 0.8 * e1[i]!);
  const yChain = zChain.map((v, i) => v + 0.8 * e2[i]!);
  const y2 = rng.normals(n);
  const zCollider = x.map((v, i) => v + y2[i]! + 0.5 * e1[i]!);
  for (const name of ["fisherz", "kci", "rcit"]) {
    const chain = getCiTest(name).prepare(fromColumns([x, yChain, zChain]), {})(0, 1, [2]).pValue;
    const collider = getCiTest(name).prepare(fromColumns([x, y2, zCollider]), {})(0, 1, [2]).pValue;
    assert.ok(chain > 0.01, `${name}: chain p = ${chain}`);
    assert.ok(collider < 1e-3, `${name}: collider p = ${collider}`);
  }
  const dx = Int32Array.from({ length: 2000 }, () => rng.int(2));
  const dz = Float64Array.from(dx, (v) => (rng.uniform() < 0.8 ? v : 1 - v));
  const dy = Float64Array.from(dz, (v) => (rng.uniform() < 0.8 ? v : 1 - v));
  for (const name of ["chisq", "gsq"]) {
    const given = getCiTest(name).prepare(fromColumns([Float64Array.from(dx), dy, dz]), {})(0, 1, [2]).pValue;
    const marginal = getCiTest(name).prepare(fromColumns([Float64Array.from(dx), dy, dz]), {})(0, 1, []).pValue;
    assert.ok(given > 0.01 && marginal < 1e-6, `${name}: given z p = ${given}, marginal p = ${marginal}`);
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { fitTfidfSvd, tokenize, transformTfidfSvd } from "../../src/embed/tfidf-svd.ts";
import { symmetricEigenSmall } from "../../src/stats/symmetric-eigen-small.ts";
import { Rng } from "../../src/util/rng.ts";

const docs = [
  "curious inventive imaginative artist who loves travel",
  "curious imaginative painter and inventive designer",
  "disciplined meticulous driven athlete, always on time",
  "driven disciplined competitor with meticulous training",
  "warm generous compassionate volunteer",
  "generous warm and compassionate friend to all",
  "anxious volatile sensitive performer",
  "sensitive anxious and volatile on stage",
];

test("tokenize() lower-cases words of two or more letters or digits", () => {
  assert.deepEqual(tokenize("Hello, World! a 42 x"), ["hello", "world", "42"]);
});

test("fitTfidfSvd() is deterministic for a seed and its singular values match the exact SVD", () => {
  const a = fitTfidfSvd(docs, new Rng(1), { dim: 4 });
  const b = fitTfidfSvd(docs, new Rng(1), { dim: 4 });
  assert.deepEqual(a.components, b.components);
  const c = fitTfidfSvd(docs, new Rng(99), { dim: 4 });
  // Another seed finds the same subspace: singular values agree and components agree up to rounding.
  for (let k = 0; k < 4; k++) assert.ok(Math.abs(a.singularValues[k]! - c.singularValues[k]!) < 1e-9);
  // Exact: eigenvalues of X Xᵀ (8 × 8) from the TF-IDF rows themselves.
  const x = transformTfidfSvd({ ...a, dim: a.vocabulary.length, components: identity(a.vocabulary.length) }, docs);
  const gram = new Float64Array(docs.length * docs.length);
  for (let i = 0; i < docs.length; i++) for (let j = 0; j < docs.length; j++) gram[i * docs.length + j] = x[i]!.reduce((s, v, t) => s + v * x[j]![t]!, 0);
  const exact = Array.from(symmetricEigenSmall(gram, docs.length).values).reverse().map((v) => Math.sqrt(Math.max(0, v)));
  // float32 rows in the check: compare to 1e-5.
  for (let k = 0; k < 4; k++) assert.ok(Math.abs(a.singularValues[k]! - exact[k]!) < 1e-5, `σ${k}: ${a.singularValues[k]} vs ${exact[k]}`);
});

test("transformTfidfSvd() puts descriptions of the same trait closer than descriptions of different traits", () => {
  const model = fitTfidfSvd(docs, new Rng(3), { dim: 4 });
  const v = transformTfidfSvd(model, docs);
  const cos = (p: Float32Array, q: Float32Array) => p.reduce((s, x, i) => s + x * q[i]!, 0) / Math.sqrt(p.reduce((s, x) => s + x * x, 0) * q.reduce((s, x) => s + x * x, 0));
  for (let pair = 0; pair < 4; pair++) {
    const same = cos(v[2 * pair]!, v[2 * pair + 1]!);
    const other = cos(v[2 * pair]!, v[(2 * pair + 2) % 8]!);
    assert.ok(same > other + 0.3, `pair ${pair}: same ${same}, other ${other}`);
  }
  assert.throws(() => fitTfidfSvd(["one"], new Rng(0)), /at least 2 documents/);
});

test("TF-IDF rows equal scikit-learn's TfidfVectorizer defaults (smooth idf = ln((1 + n)/(1 + df)) + 1, raw counts, L2 rows), hand-computed", () => {
  const model = fitTfidfSvd(["aa bb", "aa cc", "aa aa cc"], new Rng(0), { dim: 1 });
  assert.deepEqual(model.vocabulary, ["aa", "bb", "cc"]);
  // n = 3; df: aa 3, bb 1, cc 2 → idf 1, ln 2 + 1, ln(4/3) + 1.
  const idf = [1, Math.log(2) + 1, Math.log(4 / 3) + 1];
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(model.idf[j]! - idf[j]!) < 1e-15);
  const rows = transformTfidfSvd({ ...model, dim: 3, components: identity(3) }, ["aa aa cc", "bb"]);
  const raw = [2 * idf[0]!, 0, idf[2]!], norm = Math.hypot(...raw);
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(rows[0]![j]! - raw[j]! / norm) < 1e-7, `row 0, term ${j}`); // float32 output
  assert.deepEqual(Array.from(rows[1]!), [0, 1, 0]);
});

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

import { test } from "node:test";
import assert from "node:assert/strict";
import { generateMultimodal, meetsStructuralSparsity, toFloat32 } from "../../src/synth/multimodal.ts";
import { Rng } from "../../src/util/rng.ts";
import { UsageError } from "../../src/errors.ts";

const spec = {
  nSamples: 2000,
  sharedDim: 1,
  modalities: [
    { name: "image", latentDim: 2, obsDim: 12, measurements: 3 },
    { name: "text", latentDim: 2, obsDim: 10, measurements: 2 },
  ],
};

function corr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]!; mb += b[i]!; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb); saa += (a[i]! - ma) ** 2; sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

const col = (data: Float64Array, cols: number, j: number) => Float64Array.from({ length: data.length / cols }, (_, i) => data[i * cols + j]!);

test("generateMultimodal(spec, rng) returns one n × obsDim matrix per (modality, measurement) and latents in DAG order", () => {
  const d = generateMultimodal(spec, new Rng(3));
  assert.deepEqual(d.modalityNames, ["image", "text"]);
  assert.equal(d.observations.length, 2);
  assert.equal(d.observations[0]!.length, 3);
  assert.equal(d.observations[1]!.length, 2);
  for (const m of d.observations[0]!) assert.deepEqual([m.rows, m.cols], [2000, 12]);
  for (const m of d.observations[1]!) assert.deepEqual([m.rows, m.cols], [2000, 10]);
  assert.deepEqual(d.truth.names, ["S1", "Z11", "Z12", "Z21", "Z22"]);
  assert.deepEqual(d.truth.owner, [-1, 0, 0, 1, 1]);
  assert.deepEqual(d.truth.modalityLatentRanges, [[1, 3], [3, 5]]);
  assert.deepEqual([d.truth.latents.rows, d.truth.latents.cols], [2000, 5]);
  assert.equal(d.truth.noise[0]!.length, 3);
  assert.ok(d.observations.flat().every((m) => m.data.every(Number.isFinite)));
  assert.equal(toFloat32(d.observations[0]![0]!).length, 2000 * 12);
});

test("the latent graph is a DAG in index order with no edge into a shared latent and at least one cross-modal edge", () => {
  for (let seed = 0; seed < 20; seed++) {
    const d = generateMultimodal({ ...spec, edgeProbability: 0.1 }, new Rng(seed));
    const A = d.truth.adjacency;
    let cross = 0;
    for (let i = 0; i < A.length; i++) {
      for (let j = 0; j < A.length; j++) {
        if (!A[i]![j]) continue;
        assert.ok(i < j, `edge ${i}→${j} breaks index order`);
        assert.notEqual(d.truth.owner[j], -1, "edge into a shared latent");
        if (d.truth.owner[i] !== -1 && d.truth.owner[i] !== d.truth.owner[j]) cross++;
      }
    }
    assert.ok(cross >= 1);
  }
});

test("meetsStructuralSparsity: every modality latent needs a cross-modal neighbourhood not nested in a sibling's", () => {
  const owner = [0, 0, 1, 1]; // Z11 Z12 | Z21 Z22
  const graph = (edges: Array<[number, number]>) => {
    const A = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    for (const [i, j] of edges) A[i]![j] = 1;
    return A;
  };
  assert.equal(meetsStructuralSparsity(graph([[0, 2], [1, 3]]), owner), true); // a matching
  assert.equal(meetsStructuralSparsity(graph([[0, 1], [0, 3], [1, 2], [2, 3]]), owner), true); // within-modality edges do not count
  assert.equal(meetsStructuralSparsity(graph([[0, 1], [0, 2], [2, 3]]), owner), false); // Z12 and Z22 have no cross-modal edge
  assert.equal(meetsStructuralSparsity(graph([[0, 2], [0, 3], [1, 2]]), owner), false); // Z12's children ⊂ Z11's
  assert.equal(meetsStructuralSparsity(graph([[0, 2], [0, 3], [1, 2], [1, 3]]), owner), false); // identical neighbourhoods
  // Shared latents are not modality latents: they need no cross-modal edge themselves.
  assert.equal(meetsStructuralSparsity([[0, 1, 0, 0, 0], ...graph([[0, 2], [1, 3]]).map((r) => [0, ...r])], [-1, ...owner]), true);
});

test("by default the drawn DAG meets the structural-sparsity condition; structuralSparsity: false keeps the raw draw", () => {
  let rawFailures = 0;
  for (let seed = 0; seed < 20; seed++) {
    const d = generateMultimodal({ ...spec, nSamples: 50 }, new Rng(seed));
    assert.ok(meetsStructuralSparsity(d.truth.adjacency, d.truth.owner), `seed ${seed}`);
    const raw = generateMultimodal({ ...spec, nSamples: 50, structuralSparsity: false }, new Rng(seed));
    if (!meetsStructuralSparsity(raw.truth.adjacency, raw.truth.owner)) rawFailures++;
  }
  assert.ok(rawFailures > 0, "the raw draws should sometimes violate the condition (else the test proves nothing)");
});

test("an impossible structural-sparsity request fails with a clear error", () => {
  // Edge probability 0 leaves only the one forced cross-modal edge: a sibling always lacks a neighbour.
  assert.throws(
    () => generateMultimodal({ ...spec, nSamples: 20, edgeProbability: 0 }, new Rng(1)),
    (e: unknown) => e instanceof UsageError && /structural-sparsity/.test(e.message) && /structuralSparsity: false/.test(e.fix ?? ""),
  );
  // A single modality has no cross-modal edges to meet the condition with: it is not applied.
  assert.doesNotThrow(() => generateMultimodal({ nSamples: 20, modalities: [{ latentDim: 2, obsDim: 5 }] }, new Rng(1)));
});

test("the same seed reproduces the data; a different seed changes it", () => {
  const a = generateMultimodal(spec, new Rng(5));
  const b = generateMultimodal(spec, new Rng(5));
  const c = generateMultimodal(spec, new Rng(6));
  assert.deepEqual(a.observations[1]![1]!.data, b.observations[1]![1]!.data);
  assert.deepEqual(a.truth.adjacency, b.truth.adjacency);
  assert.notDeepEqual(a.observations[1]![1]!.data, c.observations[1]![1]!.data);
});

test("a causal edge shows up as latent correlation, and latents are standardised", () => {
  const d = generateMultimodal({ nSamples: 5000, modalities: [{ latentDim: 1, obsDim: 4 }, { latentDim: 1, obsDim: 4 }], edgeProbability: 1, mechanism: "linear" }, new Rng(1));
  assert.equal(d.truth.adjacency[0]![1], 1);
  const L = d.truth.latents;
  const z1 = col(L.data, 2, 0), z2 = col(L.data, 2, 1);
  const r = corr(z1, z2);
  // z2 = w z1 + e with |w| ≥ 0.5 and unit noise: |r| ≥ 0.5/sqrt(1.25) ≈ 0.447.
  assert.ok(Math.abs(r) > 0.4, `r = ${r}`);
  const mean = z1.reduce((s, v) => s + v, 0) / z1.length;
  assert.ok(Math.abs(mean) < 1e-9);
});

test("measurements of one modality share its latents but have independent noise", () => {
  const d = generateMultimodal({ ...spec, nSamples: 3000 }, new Rng(9));
  const eta0 = d.truth.noise[0]![0]!.data, eta1 = d.truth.noise[0]![1]!.data;
  assert.ok(Math.abs(corr(eta0, eta1)) < 0.06);
  assert.notDeepEqual(d.observations[0]![0]!.data, d.observations[0]![1]!.data);
});

test("generateMultimodal rejects an observation dimension too small for an injective mixing", () => {
  assert.throws(() => generateMultimodal({ nSamples: 10, modalities: [{ latentDim: 3, obsDim: 3 }] }, new Rng(0)), UsageError);
  assert.throws(() => generateMultimodal({ nSamples: 10, modalities: [] }, new Rng(0)), UsageError);
});

test("noiseDistribution draws unit-variance Laplace or uniform noise (η shows the law's kurtosis)", () => {
  const kurtosis = (x: Float64Array) => {
    const n = x.length;
    const m = x.reduce((s, v) => s + v, 0) / n;
    const v = x.reduce((s, u) => s + (u - m) ** 2, 0) / n;
    return x.reduce((s, u) => s + (u - m) ** 4, 0) / n / (v * v);
  };
  const base = { nSamples: 20000, modalities: [{ latentDim: 1, obsDim: 3 }, { latentDim: 1, obsDim: 3 }] };
  const lap = generateMultimodal({ ...base, noiseDistribution: "laplace" }, new Rng(2)).truth.noise[0]![0]!.data;
  const uni = generateMultimodal({ ...base, noiseDistribution: "uniform" }, new Rng(2)).truth.noise[0]![0]!.data;
  const gau = generateMultimodal(base, new Rng(2)).truth.noise[0]![0]!.data;
  const variance = (x: Float64Array) => x.reduce((s, v) => s + v * v, 0) / x.length;
  for (const x of [lap, uni, gau]) assert.ok(Math.abs(variance(x) - 1) < 0.05);
  assert.ok(Math.abs(kurtosis(lap) - 6) < 0.6, `Laplace kurtosis ${kurtosis(lap)}`);
  assert.ok(Math.abs(kurtosis(uni) - 1.8) < 0.1, `uniform kurtosis ${kurtosis(uni)}`);
  assert.ok(Math.abs(kurtosis(gau) - 3) < 0.2);
});

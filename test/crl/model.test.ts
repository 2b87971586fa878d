import { test } from "node:test";
import assert from "node:assert/strict";
import { CrlModel } from "../../src/crl/model.ts";
import type { CrlModelConfig } from "../../src/crl/config.ts";
import { Tensor } from "../../src/nn/tensor.ts";
import { Rng } from "../../src/util/rng.ts";
import { UsageError } from "../../src/errors.ts";

const config = (extra: Partial<CrlModelConfig> = {}): CrlModelConfig => ({
  modalities: [
    { name: "image", inputDim: 6, latentDim: 2, measurements: 3 },
    { name: "text", inputDim: 5, latentDim: 2, measurements: 1 },
  ],
  sharedDim: 1,
  hidden: [8, 6],
  ...extra,
});

function batch(model: CrlModel, rows: number, seed = 1): Tensor[][] {
  const rng = new Rng(seed);
  return model.config.modalities.map((m) => Array.from({ length: m.measurements }, () =>
    new Tensor(Float32Array.from(rng.normals(rows * m.inputDim)), [rows, m.inputDim])));
}

test("CrlModel.forward gives z_all = [s, first measurement's z per modality] and finite loss terms", () => {
  for (const mode of ["default", "faithful"] as const) {
    const model = new CrlModel(config({ mode }), new Rng(1));
    assert.deepEqual(model.latentNames, ["S1", "image_z1", "image_z2", "text_z1", "text_z2"]);
    assert.deepEqual(model.owner, [-1, 0, 0, 1, 1]);
    const out = model.forward(batch(model, 16));
    assert.deepEqual(out.zAll.shape, [16, 5]);
    assert.deepEqual(out.epsilon.shape, [16, 5]);
    for (const v of [out.loss.item(), out.recon, out.nll, out.sparsity, out.consistency]) assert.ok(Number.isFinite(v));
    assert.ok(out.consistency > 0, "three image measurements → a consistency term");
    if (mode === "faithful") {
      // Cross-modal block: rows text_z*, columns image_z* (2 × 2 entries of 0.5 + tiny noise); shared excluded.
      assert.ok(Math.abs(out.sparsity - 2) < 1e-3, `sparsity ${out.sparsity}`);
    } else {
      // Path norm over every pair of modality latents j < i: Σ |A_ij|·π_i, π_i = Σ_h |w_in[h,i]|·|w_out[h,i]|.
      const L = model.nLatents;
      const H = model.config.parentHidden;
      let expected = 0;
      for (let i = 2; i < L; i++) {
        let pi = 0;
        for (let h = 0; h < H; h++) pi += Math.abs(model.parentP.data[h * L + i]!) * Math.abs(model.parentOutW.data[h * L + i]!);
        for (let j = 1; j < i; j++) expected += Math.abs(model.adjacencyParam.data[i * L + j]!) * pi;
      }
      assert.ok(Math.abs(out.sparsity - expected) < 1e-4 * expected, `sparsity ${out.sparsity} vs ${expected}`);
    }
  }
});

test("faithful mode: the adjacency gets no gradient except from the L1 term, and the flow keeps the first half fixed", () => {
  const model = new CrlModel(config({ mode: "faithful", sparsityCoef: 0 }), new Rng(2));
  const out = model.forward(batch(model, 12));
  out.loss.backward();
  const g = model.adjacencyParam.grad;
  assert.ok(g === null || g.every((v) => v === 0), "no gradient reaches A through the hard parent mask");
  const split = Math.ceil(model.nLatents / 2);
  for (let i = 0; i < 12; i++) {
    for (let j = 0; j < split; j++) assert.equal(out.epsilon.data[i * 5 + j], out.mid.data[i * 5 + j]);
  }
});

test("default mode: the gate passes gradient to the strictly lower triangle of A only, and the flow permutes", () => {
  const model = new CrlModel(config({ mode: "default", sparsityCoef: 0 }), new Rng(3));
  const out = model.forward(batch(model, 12));
  out.loss.backward();
  const g = model.adjacencyParam.grad!;
  const L = model.nLatents;
  let lower = 0;
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < L; j++) {
      if (j < i) lower += Math.abs(g[i * L + j]!);
      else assert.equal(g[i * L + j], 0, `A[${i}][${j}] is masked out`);
    }
  }
  assert.ok(lower > 0);
  const split = Math.ceil(L / 2);
  let differs = 0;
  for (let i = 0; i < 12; i++) for (let j = 0; j < split; j++) if (out.epsilon.data[i * L + j] !== out.mid.data[i * L + j]) differs++;
  assert.ok(differs > 0, "with permutations every coordinate is transformed");
});

test("d loss / d A matches a finite difference (default mode, deterministic encoders)", () => {
  const cfg = config({ mode: "default", variational: false, sharedDim: 0 });
  const model = new CrlModel(cfg, new Rng(4));
  const x = batch(model, 10, 5);
  const out = model.forward(x);
  out.loss.backward();
  const L = model.nLatents;
  const [i, j] = [2, 1];
  const analytic = model.adjacencyParam.grad![i * L + j]!;
  const h = 1e-2;
  const a = model.adjacencyParam.data;
  const original = a[i * L + j]!;
  a[i * L + j] = original + h;
  const up = model.evaluate(x).loss.item();
  a[i * L + j] = original - h;
  const down = model.evaluate(x).loss.item();
  a[i * L + j] = original;
  const numeric = (up - down) / (2 * h);
  // float32 forward passes: agreement to a few percent of the gradient's size.
  assert.ok(Math.abs(numeric - analytic) <= 0.05 * Math.abs(analytic) + 1e-4, `numeric ${numeric} vs autodiff ${analytic}`);
});

test("learnedAdjacency keeps j → i only for j < i above the threshold", () => {
  const model = new CrlModel(config({ mode: "default" }), new Rng(6));
  const L = model.nLatents;
  // π_i = Σ_h |w_in[h,i]|·|w_out[h,i]| = 1, so the path-norm edge strength |A_ij|·π_i is |A_ij|.
  model.parentP.data.fill(1);
  model.parentOutW.data.fill(1 / model.config.parentHidden);
  const a = model.adjacencyParam.data;
  a.fill(0);
  a[3 * L + 1] = 0.5; // image_z1 → text_z1
  a[4 * L + 2] = -0.4; // image_z2 → text_z2 (negative gate weight)
  a[2 * L + 1] = 0.2; // below the default mode's 0.3 threshold
  a[1 * L + 3] = 0.9; // upper triangle: never an edge
  const adj = model.learnedAdjacency();
  assert.equal(adj[1]![3], 1);
  assert.equal(adj[2]![4], 1);
  assert.equal(adj[1]![2], 0);
  assert.equal(adj[3]![1], 0);
  assert.equal(adj.flat().reduce((s, v) => s + v, 0), 2);
  const faithful = new CrlModel(config({ mode: "faithful" }), new Rng(6));
  faithful.adjacencyParam.data.set(a);
  assert.equal(faithful.learnedAdjacency()[2]![4], 0, "faithful: the reference's mask keeps positive entries only");
});

test("CrlModel rejects a config without enough latents and a batch of the wrong shape", () => {
  assert.throws(() => new CrlModel({ modalities: [{ name: "x", inputDim: 3, latentDim: 1 }] }, new Rng(0)), UsageError);
  const model = new CrlModel(config(), new Rng(0));
  const wrong = batch(model, 4);
  wrong[1] = [new Tensor(new Float32Array(4 * 7), [4, 7])];
  assert.throws(() => model.forward(wrong), /expects 5/);
});

test("default mode with a shared latent: each measurement encoder outputs ŝ, its decoder reads it, and the ŝ must agree", () => {
  const model = new CrlModel(config({ mode: "default", variational: false }), new Rng(8));
  assert.equal(model.sharedEncoder, undefined, "no joint shared autoencoder");
  assert.equal(model.sharedHeadDim, 1);
  const x = batch(model, 12, 9);
  // Code of measurement (m, k): [ŝ, z_1, z_2, η].
  const codes = model.config.modalities.map((_, m) => x[m]!.map((xk, k) => model.encoders[m]![k]!.forward(xk).data));
  const column = (code: Float32Array, c: number) => Array.from({ length: 12 }, (_, r) => code[r * 4 + c]!);
  const z = model.encode(x);
  assert.deepEqual(Array.from({ length: 12 }, (_, r) => z.data[r * 5]!), column(codes[0]![0]!, 0), "z_all's s is the first image measurement's ŝ");
  assert.deepEqual(Array.from({ length: 12 }, (_, r) => z.data[r * 5 + 3]!), column(codes[1]![0]!, 1), "text_z1 follows the ŝ head");
  const mse = (a: number[], b: number[]) => a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length;
  const gap = (m: number, k: number, cols: number[]) => mse(cols.flatMap((c) => column(codes[m]![k]!, c)), cols.flatMap((c) => column(codes[0]![0]!, c)));
  // Image measurements agree on z (k = 2, 3 against 1); every other ŝ against the first.
  const expected = (gap(0, 1, [1, 2]) + gap(0, 2, [1, 2])) / 2 + (gap(0, 1, [0]) + gap(0, 2, [0]) + gap(1, 0, [0])) / 3;
  const out = model.forward(x);
  assert.ok(Math.abs(out.consistency - expected) <= 1e-5 * expected, `consistency ${out.consistency} vs ${expected}`);
  // The decoder of text reads [ŝ, z_1, z_2, η]: changing only the ŝ input changes its reconstruction.
  const decoder = model.decoders[1]![0]!;
  const input = new Tensor(Float32Array.from(codes[1]![0]!), [12, 4]);
  const moved = new Tensor(Float32Array.from(codes[1]![0]!, (v, i) => (i % 4 === 0 ? v + 1 : v)), [12, 4]);
  assert.notDeepEqual(decoder.forward(input).data, decoder.forward(moved).data);
  const faithful = new CrlModel(config({ mode: "faithful" }), new Rng(8));
  assert.ok(faithful.sharedEncoder, "faithful keeps the reference's joint shared autoencoder");
  assert.equal(faithful.sharedHeadDim, 0);
});

test("with a shared latent, contentGivenShared measures each modality latent's content jointly with ŝ", async () => {
  const { constantCentredGram, normalizedHsic } = await import("../../src/crl/dependence.ts");
  const { concat, slice } = await import("../../src/nn/ops/index.ts");
  const only = { reconCoef: 0, klCoef: 0, sparsityCoef: 0, consistencyCoef: 0, independenceCoef: 0, contentCoef: 1, variational: false } as const;
  const x = batch(new CrlModel(config(), new Rng(0)), 16, 3);
  for (const givenShared of [true, false]) {
    const model = new CrlModel(config({ mode: "default", ...only, contentGivenShared: givenShared }), new Rng(10));
    const z = model.encode(x);
    const column = (i: number) => slice(z, 1, i, i + 1);
    const input = (i: number) => (givenShared ? concat([column(i), column(0)], 1) : column(i));
    const image = constantCentredGram(x[1]![0]!); // the other modality of image latents is text
    const text = constantCentredGram(x[0]![0]!);
    const expected = [1, 2].reduce((s, i) => s + normalizedHsic(input(i), image).item(), 0) + [3, 4].reduce((s, i) => s + normalizedHsic(input(i), text).item(), 0);
    const loss = model.evaluate(x).loss.item();
    assert.ok(Math.abs(loss + expected) <= 1e-5, `given ŝ ${givenShared}: loss ${loss}, expected −${expected}`);
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { CrlModel } from "../../src/crl/model.ts";
import type { CrlModelConfig } from "../../src/crl/config.ts";
import { Tensor, noGrad } from "../../src/nn/tensor.ts";
import { Rng } from "../../src/util/rng.ts";

// The parameters that feed edge j → i: the gate A_ij, φ_j (a, c, d) and f_i's layers (w_in = parentP,
// b = parentB, w_out = parentOutW). These are the function-preserving rescalings among them; the property:
// none lowers the sparsity term of the "path" form, while the plain L1 ("l1") is shrunk by the first.
const config = (sparsity: "l1" | "path"): CrlModelConfig => ({
  modalities: [
    { name: "image", inputDim: 6, latentDim: 2 },
    { name: "text", inputDim: 5, latentDim: 3 },
  ],
  hidden: [8, 6],
  flowLayers: 0,
  variational: false, // deterministic codes: the prior's output (mid) can be compared exactly
  sparsity,
});

function batch(model: CrlModel, rows: number): Tensor[][] {
  const rng = new Rng(11);
  return model.config.modalities.map((m) => Array.from({ length: m.measurements }, () =>
    new Tensor(Float32Array.from(rng.normals(rows * m.inputDim)), [rows, m.inputDim])));
}

/** Multiplies column `latent` (or entry [h, latent]) of a [H, L] parameter, or row `latent` of A, by c. */
function scaleColumn(t: Tensor, latent: number, c: number, hidden?: number): void {
  const [rows, cols] = t.shape as [number, number];
  for (let h = 0; h < rows; h++) if (hidden === undefined || h === hidden) t.data[h * cols + latent]! *= c;
}
function scaleRow(a: Tensor, row: number, c: number): void {
  const L = a.cols;
  for (let j = 0; j < L; j++) a.data[row * L + j]! *= c;
}

type Rescaling = { name: string; apply: (m: CrlModel, child: number, c: number, hidden: number) => void };
const rescalings: Rescaling[] = [
  // A_i· × c, f_i's input weights ÷ c: parents_i · w_in is unchanged.
  { name: "gate ↔ f_i first layer", apply: (m, i, c) => { scaleRow(m.adjacencyParam, i, c); scaleColumn(m.parentP, i, 1 / c); } },
  // ReLU is positively homogeneous: (w_in, b) of unit h × c, w_out of unit h ÷ c.
  { name: "f_i hidden unit", apply: (m, i, c, h) => { scaleColumn(m.parentP, i, c, h); scaleColumn(m.parentB, i, c, h); scaleColumn(m.parentOutW, i, 1 / c, h); } },
  // The same inside φ_j: (a, c) of unit h × c, d ÷ c.
  { name: "φ_j hidden unit", apply: (m, j, c, h) => { scaleColumn(m.phi!.a, j, c, h); scaleColumn(m.phi!.c, j, c, h); scaleColumn(m.phi!.d, j, 1 / c, h); } },
  // Both at once with a sign flip: A_i· × (−c), w_in ÷ (−c).
  { name: "gate sign flip", apply: (m, i, c) => { scaleRow(m.adjacencyParam, i, -c); scaleColumn(m.parentP, i, -1 / c); } },
];

function priorAndPenalty(model: CrlModel, data: Tensor[][]): { mid: Float32Array; penalty: number } {
  return noGrad(() => {
    const out = model.forward(data);
    return { mid: Float32Array.from(out.mid.data), penalty: model.sparsityPenalty().item() };
  });
}

test("path-norm sparsity: no function-preserving rescaling of the parameters feeding an edge lowers the penalty", () => {
  const rng = new Rng(5);
  for (let trial = 0; trial < 40; trial++) {
    const model = new CrlModel(config("path"), new Rng(100 + trial));
    const data = batch(model, 32);
    const before = priorAndPenalty(model, data);
    const rescaling = rescalings[trial % rescalings.length]!;
    const child = 2 + rng.int(model.nLatents - 2); // a text latent: it has cross-modal candidate parents
    const c = Math.exp(rng.uniformIn(-3, 3));
    rescaling.apply(model, rescaling.name.startsWith("φ") ? rng.int(model.nLatents) : child, c, rng.int(model.config.parentHidden));
    const after = priorAndPenalty(model, data);
    for (let k = 0; k < before.mid.length; k++) {
      assert.ok(Math.abs(after.mid[k]! - before.mid[k]!) <= 1e-4 * (1 + Math.abs(before.mid[k]!)), `${rescaling.name} (c = ${c}) changed the model`);
    }
    assert.ok(after.penalty >= before.penalty * (1 - 1e-5), `${rescaling.name} (c = ${c}): penalty ${before.penalty} → ${after.penalty}`);
  }
});

test("the plain L1 on A is shrunk by rescaling the gate against f_i's first layer (why the path form exists)", () => {
  const model = new CrlModel(config("l1"), new Rng(7));
  const data = batch(model, 32);
  const before = priorAndPenalty(model, data);
  for (let i = 2; i < model.nLatents; i++) rescalings[0]!.apply(model, i, 0.1, 0);
  const after = priorAndPenalty(model, data);
  for (let k = 0; k < before.mid.length; k++) assert.ok(Math.abs(after.mid[k]! - before.mid[k]!) <= 1e-4 * (1 + Math.abs(before.mid[k]!)));
  assert.ok(after.penalty < 0.2 * before.penalty, `L1 ${before.penalty} → ${after.penalty}`);
});

test("path-norm sparsity: the learned graph thresholds |A_ij|·π_i, so the rescalings leave it unchanged", () => {
  const model = new CrlModel({ ...config("path"), edgeThreshold: 0.3 }, new Rng(9));
  const before = model.learnedAdjacency();
  for (let i = 2; i < model.nLatents; i++) rescalings[0]!.apply(model, i, 25, 0);
  assert.deepEqual(model.learnedAdjacency(), before);
});

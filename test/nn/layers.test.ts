import assert from "node:assert/strict";
import { test } from "node:test";
import * as nn from "../../src/nn/index.ts";
import { Adam, Linear, MLP, StepLR, Tensor } from "../../src/nn/index.ts";
import { Rng } from "../../src/util/rng.ts";
import { testBoth } from "./backends.ts";
import { gradCheck } from "./gradcheck.ts";

test("Linear uses torch.nn.Linear's layout and init ranges: weight [out, in] within ±1/√in (torch), ±√(6/in) (kaiming), ±√(6/(in+out)) (xavier)", () => {
  const torch = new Linear(50, 20, new Rng(1));
  assert.deepEqual(torch.weight.shape, [20, 50]);
  assert.deepEqual(torch.bias!.shape, [20]);
  const maxAbs = (t: Tensor) => t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  assert.ok(maxAbs(torch.weight) <= 1 / Math.sqrt(50) && maxAbs(torch.weight) > 0.9 / Math.sqrt(50));
  assert.ok(maxAbs(torch.bias!) <= 1 / Math.sqrt(50));
  const kaiming = new Linear(50, 20, new Rng(1), { init: "kaiming" });
  assert.ok(maxAbs(kaiming.weight) <= Math.sqrt(6 / 50) && maxAbs(kaiming.weight) > 0.9 * Math.sqrt(6 / 50));
  assert.equal(maxAbs(kaiming.bias!), 0);
  const xavier = new Linear(50, 20, new Rng(1), { init: "xavier", bias: false });
  assert.ok(maxAbs(xavier.weight) <= Math.sqrt(6 / 70) && maxAbs(xavier.weight) > 0.9 * Math.sqrt(6 / 70));
  assert.equal(xavier.bias, null);
  assert.deepEqual(new Linear(50, 20, new Rng(1)).weight.data, torch.weight.data, "same seed, same init");
});

test("MLP registers parameters under torch-style names and counts them", () => {
  const mlp = new MLP([8, 5, 3], new Rng(2));
  assert.deepEqual(mlp.namedParameters().map(([n, t]) => `${n}:${t.shape.join("x")}`),
    ["layers.0.weight:5x8", "layers.0.bias:5", "layers.1.weight:3x5", "layers.1.bias:3"]);
  assert.equal(mlp.parameterCount(), 8 * 5 + 5 + 5 * 3 + 3);
  assert.ok(mlp.parameters().every((p) => p.requiresGrad));
});

testBoth("MLP gradients (ELU and leaky ReLU hidden layers) match finite differences for every parameter", () => {
  for (const activation of ["elu", "leaky_relu", "tanh"] as const) {
    const rng = new Rng(3);
    const mlp = new MLP([4, 6, 5, 2], rng, { activation, negativeSlope: 0.1 });
    const x = Tensor.uniform([7, 4], -1, 1, rng);
    const params = mlp.parameters();
    gradCheck(`MLP ${activation}`, () => mlp.forward(x), params, { h: 1e-3, tol: 3e-3 });
  }
});

test("Adam's first steps equal torch.optim.Adam's formula (bias-corrected moments, eps outside the square root)", () => {
  const p = Tensor.from([1, -2], [2], true);
  const opt = new Adam([p], { lr: 0.1, betas: [0.9, 0.99], eps: 1e-8 });
  let m = [0, 0], v = [0, 0];
  const want = [1, -2];
  for (let t = 1; t <= 3; t++) {
    opt.zeroGrad();
    nn.sum(nn.square(p)).backward(); // grad = 2p
    const g = want.map((w) => 2 * w);
    m = m.map((mi, i) => 0.9 * mi + 0.1 * g[i]!);
    v = v.map((vi, i) => 0.99 * vi + 0.01 * g[i]! ** 2);
    for (let i = 0; i < 2; i++) want[i] = want[i]! - (0.1 * (m[i]! / (1 - 0.9 ** t))) / (Math.sqrt(v[i]! / (1 - 0.99 ** t)) + 1e-8);
    opt.step();
    p.data.forEach((value, i) => assert.ok(Math.abs(value - want[i]!) < 1e-6, `step ${t}: ${value} vs ${want[i]}`));
  }
});

test("StepLR multiplies the learning rate by gamma every stepSize epochs", () => {
  const opt = new Adam([Tensor.zeros([1], true)], { lr: 1 });
  const schedule = new StepLR(opt, 2, 0.5);
  const lrs = [];
  for (let e = 0; e < 5; e++) { schedule.step(); lrs.push(opt.lr); }
  assert.deepEqual(lrs, [1, 0.5, 0.5, 0.25, 0.25]);
});

/** Fits y = sin(3x) on [−1, 1] with a small ELU MLP and full-batch Adam; returns the loss curve. */
function trainRegression(seed: number, steps: number): number[] {
  const rng = new Rng(seed);
  const n = 128;
  const x = Tensor.zeros([n, 1]), y = Tensor.zeros([n, 1]);
  for (let i = 0; i < n; i++) { x.data[i] = -1 + (2 * i) / (n - 1); y.data[i] = Math.sin(3 * x.data[i]!); }
  const mlp = new MLP([1, 32, 32, 1], rng, { activation: "elu" });
  const opt = new Adam(mlp.parameters(), { lr: 1e-2 });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const loss = nn.mse(mlp.forward(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}

testBoth("a small MLP regression trains to a known loss (sin(3x): MSE from 0.53 to 7.1e-5 ± 30 % in 400 Adam steps) and is deterministic for a seed", () => {
  const losses = trainRegression(7, 400);
  // Measured on both paths (native 7.129e-5, fallback 7.135e-5); the band allows other BLAS kernels' rounding.
  assert.ok(Math.abs(losses[0]! - 0.5287) < 1e-3, `initial loss ${losses[0]}`);
  assert.ok(losses.at(-1)! > 5e-5 && losses.at(-1)! < 9.5e-5, `final loss ${losses.at(-1)}`);
  assert.deepEqual(trainRegression(7, 400), losses, "same seed, same backend → identical loss curve");
  assert.notDeepEqual(trainRegression(8, 50), losses.slice(0, 50), "another seed → another run");
});

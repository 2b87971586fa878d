import assert from "node:assert/strict";
import * as nn from "../../src/nn/index.ts";
import { MLP, RealNVP, Tensor } from "../../src/nn/index.ts";
import { Rng } from "../../src/util/rng.ts";
import { testBoth } from "./backends.ts";
import { gradCheck } from "./gradcheck.ts";

testBoth("a zero-initialised coupling starts as y = x·sigmoid(2) on the transformed coordinates with log|det| = Σ log sigmoid(2)", () => {
  const flow = new RealNVP(4, new Rng(1), { layers: 1 });
  const x = Tensor.from([1, 2, 3, 4, -1, -2, -3, -4], [2, 4]);
  const { output, logDet } = flow.forward(x);
  const s = 1 / (1 + Math.exp(-2));
  // Layer 0's pass mask is [0, 1, 0, 1]: coordinates 0 and 2 are transformed.
  const want = [1 * s, 2, 3 * s, 4, -1 * s, -2, -3 * s, -4];
  output.toArray().forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-6));
  logDet.toArray().forEach((v) => assert.ok(Math.abs(v - 2 * Math.log(s)) < 1e-6));
});

for (const permutation of ["none", "reverse", "random"] as const) {
  testBoth(`RealNVP (permutation ${permutation}, with context) is invertible: inverse(forward(x)) = x`, () => {
    const rng = new Rng(2);
    const flow = new RealNVP(5, rng, { layers: 5, hidden: 8, contextDim: 2, permutation, finalInit: "torch" });
    const x = Tensor.uniform([6, 5], -2, 2, rng), context = Tensor.uniform([6, 2], -1, 1, rng);
    const back = flow.inverse(flow.forward(x, context).output, context);
    back.toArray().forEach((v, i) => assert.ok(Math.abs(v - x.data[i]!) < 1e-4, `${i}: ${v} vs ${x.data[i]}`));
  });
}

testBoth("RealNVP log|det| equals the log-determinant of the finite-difference Jacobian, row by row", () => {
  const rng = new Rng(3);
  const flow = new RealNVP(3, rng, { layers: 4, hidden: 8, permutation: "random", finalInit: "torch" });
  const x = Tensor.uniform([4, 3], -1, 1, rng);
  const { logDet } = flow.forward(x);
  const h = 1e-2;
  for (let row = 0; row < 4; row++) {
    const jac: number[][] = [];
    for (let j = 0; j < 3; j++) {
      const up = x.clone(), down = x.clone();
      up.data[row * 3 + j]! += h;
      down.data[row * 3 + j]! -= h;
      const yu = nn.noGrad(() => flow.forward(up).output), yd = nn.noGrad(() => flow.forward(down).output);
      jac.push([0, 1, 2].map((i) => (yu.data[row * 3 + i]! - yd.data[row * 3 + i]!) / (2 * h)));
    }
    const [a, b, c] = jac as [number[], number[], number[]];
    const det = a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) - a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) + a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!);
    assert.ok(Math.abs(Math.log(Math.abs(det)) - logDet.data[row]!) < 2e-3, `row ${row}: ${Math.log(Math.abs(det))} vs ${logDet.data[row]}`);
  }
});

testBoth("RealNVP gradients (inputs, context and every parameter) match finite differences", () => {
  const rng = new Rng(4);
  const flow = new RealNVP(3, rng, { layers: 3, hidden: 6, contextDim: 2, permutation: "reverse", activation: "elu", finalInit: "torch" });
  const x = Tensor.uniform([5, 3], -1, 1, rng), context = Tensor.uniform([5, 2], -1, 1, rng);
  gradCheck("flow output", (xx, cc) => flow.forward(xx!, cc!).output, [x, context], { h: 1e-3, tol: 3e-3 });
  gradCheck("flow logDet", (xx, cc) => flow.forward(xx!, cc!).logDet, [x, context], { h: 1e-3, tol: 3e-3 });
  gradCheck("flow parameters", () => { const o = flow.forward(x, context); return nn.concat([o.output, nn.reshape(o.logDet, [5, 1])], 1); },
    flow.parameters(), { h: 1e-3, tol: 3e-3 });
});

testBoth("a full MLP encoder + RealNVP model with a CRL-style loss (recon MSE + Gaussian NLL with log|det|) passes the gradient check", () => {
  const rng = new Rng(5);
  const encoder = new MLP([6, 8, 3], rng, { activation: "elu" });
  const decoder = new MLP([3, 8, 6], rng, { activation: "leaky_relu", negativeSlope: 0.2 });
  const flow = new RealNVP(3, rng, { layers: 5, hidden: 16, permutation: "random", finalInit: "torch" });
  const x = Tensor.uniform([10, 6], -1, 1, rng);
  const params = [...encoder.parameters(), ...decoder.parameters(), ...flow.parameters()];
  const loss = () => {
    const z = encoder.forward(x);
    const recon = nn.mse(decoder.forward(z), x);
    const { output: eps, logDet } = flow.forward(z);
    const nll = nn.mean(nn.sub(nn.scale(nn.sum(nn.square(eps), 1), 0.5), logDet));
    return nn.add(recon, nn.scale(nll, 0.01));
  };
  gradCheck("MLP + RealNVP loss", loss, params, { h: 1e-3, tol: 5e-3, maxCoordinates: 12 });
  // Directional derivative along a random direction over ALL parameters at once, evaluated in float64 sums.
  for (const p of params) p.grad = null;
  loss().backward();
  const direction = params.map((p) => Float32Array.from(rng.normals(p.size)));
  let analytic = 0;
  params.forEach((p, n) => p.grad!.forEach((g, i) => (analytic += g * direction[n]![i]!)));
  const shifted = (step: number) => {
    const saved = params.map((p) => p.data.slice());
    params.forEach((p, n) => p.data.forEach((_, i) => (p.data[i]! += step * direction[n]![i]!)));
    const value = nn.noGrad(loss).item();
    params.forEach((p, n) => p.data.set(saved[n]!));
    return value;
  };
  const h = 1e-3;
  const numeric = (shifted(h) - shifted(-h)) / (2 * h);
  assert.ok(Math.abs(analytic - numeric) < 1e-2 * (1 + Math.abs(numeric)), `directional derivative ${analytic} vs ${numeric}`);
});

import assert from "node:assert/strict";
import { test } from "node:test";
import * as nn from "../../../src/nn/index.ts";
import { Tensor } from "../../../src/nn/index.ts";
import { Rng } from "../../../src/util/rng.ts";
import { testBoth } from "../backends.ts";
import { gradCheck, randomTensor } from "../gradcheck.ts";

/** Values bounded away from 0 (for log, div, sqrt and the kinks of relu/abs/leaky_relu/elu). */
function awayFromZero(shape: number[], rng: Rng, low = 0.1, high = 1.5): Tensor {
  const t = Tensor.zeros(shape, true);
  for (let i = 0; i < t.size; i++) t.data[i] = (rng.uniform() < 0.5 ? -1 : 1) * rng.uniformIn(low, high);
  return t;
}
function positive(shape: number[], rng: Rng): Tensor {
  return randomTensor(shape, rng, 0.3, 2);
}

testBoth("add/sub/mul/div gradients are correct with same shapes and every broadcasting pattern", () => {
  const rng = new Rng(1);
  const pairs: Array<[number[], number[]]> = [[[3, 4], [3, 4]], [[3, 4], [4]], [[3, 1], [1, 4]], [[2, 3, 4], [3, 1]], [[3, 4], []], [[4], [2, 3, 4]]];
  for (const [sa, sb] of pairs) {
    gradCheck(`add ${sa}+${sb}`, nn.add, [randomTensor(sa, rng), randomTensor(sb, rng)]);
    gradCheck(`sub ${sa}-${sb}`, nn.sub, [randomTensor(sa, rng), randomTensor(sb, rng)]);
    gradCheck(`mul ${sa}*${sb}`, nn.mul, [randomTensor(sa, rng), randomTensor(sb, rng)]);
    gradCheck(`div ${sa}/${sb}`, nn.div, [randomTensor(sa, rng), positive(sb, rng)]);
  }
});

testBoth("broadcasting follows NumPy: [3,1] + [1,4] gives the 3×4 outer sum; incompatible shapes throw", () => {
  const out = nn.add(Tensor.from([0, 10, 20], [3, 1]), Tensor.from([1, 2, 3, 4], [1, 4]));
  assert.deepEqual(out.shape, [3, 4]);
  assert.deepEqual(out.toArray(), [1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24]);
  assert.throws(() => nn.add(Tensor.zeros([3, 4]), Tensor.zeros([3])), /cannot be broadcast/);
});

testBoth("unary op gradients are correct: exp, log, sigmoid, tanh, relu, leaky_relu, elu, softplus, log_sigmoid, square, sqrt, abs, neg, scale, addScalar", () => {
  const rng = new Rng(2);
  const shape = [4, 5];
  gradCheck("exp", nn.exp, [randomTensor(shape, rng)]);
  gradCheck("log", nn.log, [positive(shape, rng)]);
  gradCheck("sigmoid", nn.sigmoid, [randomTensor(shape, rng, -3, 3)]);
  gradCheck("tanh", nn.tanh, [randomTensor(shape, rng, -2, 2)]);
  gradCheck("relu", nn.relu, [awayFromZero(shape, rng)]);
  gradCheck("leaky_relu", (x) => nn.leakyRelu(x, 0.2), [awayFromZero(shape, rng)]);
  gradCheck("elu", (x) => nn.elu(x, 1.5), [awayFromZero(shape, rng)]);
  gradCheck("softplus", nn.softplus, [randomTensor(shape, rng, -3, 3)]);
  gradCheck("log_sigmoid", nn.logSigmoid, [randomTensor(shape, rng, -3, 3)]);
  gradCheck("square", nn.square, [randomTensor(shape, rng)]);
  gradCheck("sqrt", nn.sqrt, [positive(shape, rng)]);
  gradCheck("abs", nn.abs, [awayFromZero(shape, rng)]);
  gradCheck("neg", nn.neg, [randomTensor(shape, rng)]);
  gradCheck("scale", (x) => nn.scale(x, -2.5), [randomTensor(shape, rng)]);
  gradCheck("addScalar", (x) => nn.addScalar(x, 3), [randomTensor(shape, rng)]);
});

testBoth("unary ops are numerically safe at extremes (sigmoid, softplus and log_sigmoid of ±100)", () => {
  const x = Tensor.from([-100, 100]);
  assert.deepEqual(nn.sigmoid(x).toArray(), [Math.fround(1 / (1 + Math.exp(100))), 1]);
  assert.deepEqual(nn.softplus(x).toArray().map((v) => Math.round(v)), [0, 100]);
  const ls = nn.logSigmoid(x).toArray();
  assert.equal(ls[0], -100);
  assert.ok(ls[1]! <= 0 && ls[1]! > -1e-40, "log sigmoid(100) = −e⁻¹⁰⁰ (a float32 denormal), not NaN or −Inf");
});

testBoth("sum and mean gradients are correct over all elements, one axis, several axes, negative axes and keepDims (3-D and the 2-D fast paths)", () => {
  const rng = new Rng(3);
  const shape = [2, 3, 4];
  for (const axis of [undefined, 0, 1, 2, -1, [0, 2], [1, 2]] as const) {
    for (const keepDims of [false, true]) {
      gradCheck(`sum ${String(axis)} ${keepDims}`, (x) => nn.sum(x, axis as never, { keepDims }), [randomTensor(shape, rng)]);
      gradCheck(`mean ${String(axis)} ${keepDims}`, (x) => nn.mean(x, axis as never, { keepDims }), [randomTensor(shape, rng)]);
    }
  }
  for (const axis of [0, 1, -1, undefined] as const) {
    for (const keepDims of [false, true]) {
      gradCheck(`2-D sum ${String(axis)} ${keepDims}`, (x) => nn.sum(x, axis, { keepDims }), [randomTensor([4, 3], rng)]);
      gradCheck(`2-D mean ${String(axis)} ${keepDims}`, (x) => nn.mean(x, axis, { keepDims }), [randomTensor([4, 3], rng)]);
    }
  }
  const m = nn.mean(Tensor.from([1, 2, 3, 4, 5, 6], [2, 3]), 0, { keepDims: true });
  assert.deepEqual(m.shape, [1, 3]);
  assert.deepEqual(m.toArray(), [2.5, 3.5, 4.5]);
  assert.deepEqual(nn.sum(Tensor.from([1, 2, 3, 4, 5, 6], [2, 3]), 1).toArray(), [6, 15]);
});

testBoth("concat, slice, gatherColumns, reshape and transpose route gradients back to their sources", () => {
  const rng = new Rng(4);
  gradCheck("concat axis 1", (a, b, c) => nn.concat([a!, b!, c!], 1), [randomTensor([3, 2], rng), randomTensor([3, 4], rng), randomTensor([3, 1], rng)]);
  gradCheck("concat axis 0", (a, b) => nn.concat([a!, b!], 0), [randomTensor([2, 3], rng), randomTensor([4, 3], rng)]);
  gradCheck("slice", (x) => nn.slice(x, 1, 1, 4), [randomTensor([3, 5], rng)]);
  gradCheck("slice axis 0", (x) => nn.slice(x, 0, 2, 3), [randomTensor([3, 5], rng)]);
  gradCheck("gatherColumns with a repeat", (x) => nn.gatherColumns(x, [4, 0, 0, 2]), [randomTensor([3, 5], rng)]);
  gradCheck("reshape", (x) => nn.reshape(x, [5, 3]), [randomTensor([3, 5], rng)]);
  gradCheck("transpose", nn.transpose, [randomTensor([3, 5], rng)]);
  const c = nn.concat([Tensor.from([1, 2], [2, 1]), Tensor.from([3, 4, 5, 6], [2, 2])]);
  assert.deepEqual(c.toArray(), [1, 3, 4, 2, 5, 6]);
  assert.deepEqual(nn.gatherColumns(c, [2, 0]).toArray(), [4, 1, 6, 2]);
  assert.deepEqual(nn.slice(c, 1, 1, 3).toArray(), [3, 4, 5, 6]);
});

testBoth("matmul and fused linear(x, W, b, activation) gradients are correct for every activation", () => {
  const rng = new Rng(5);
  gradCheck("matmul", nn.matmul, [randomTensor([4, 3], rng), randomTensor([3, 5], rng)]);
  for (const activation of nn.ACTIVATIONS) {
    // Few rows and a 0.5 offset keep pre-activations of relu-like layers away from the kink.
    const x = randomTensor([6, 4], rng), w = randomTensor([3, 4], rng), b = randomTensor([3], rng);
    gradCheck(`linear ${activation}`, (xx, ww, bb) => nn.linear(xx!, ww!, bb!, activation, { negativeSlope: 0.1, eluAlpha: 1.3 }), [x, w, b], { h: 1e-3, tol: 3e-3 });
  }
  gradCheck("linear without bias", (xx, ww) => nn.linear(xx!, ww!, null), [randomTensor([5, 4], rng), randomTensor([2, 4], rng)]);
});

testBoth("linear(x, W, b, 'elu') equals elu(x·Wᵀ + b) composed from the separate ops", () => {
  const rng = new Rng(6);
  const x = randomTensor([7, 5], rng), w = randomTensor([3, 5], rng), b = randomTensor([3], rng);
  const fused = nn.linear(x, w, b, "elu");
  const composed = nn.elu(nn.add(nn.matmul(x, nn.transpose(w)), b));
  fused.toArray().forEach((v, i) => assert.ok(Math.abs(v - composed.data[i]!) < 1e-6));
});

testBoth("mse gradient is correct for prediction and target; mask blocks gradients of masked entries; detach stops gradients", () => {
  const rng = new Rng(7);
  gradCheck("mse", (p, t) => nn.mse(p!, t!), [randomTensor([4, 3], rng), randomTensor([4, 3], rng)]);
  const m = Float32Array.from([1, 0, 1, 0, 0, 1]);
  gradCheck("mask", (x) => nn.mask(x, m), [randomTensor([2, 3], rng)]);
  const x = randomTensor([2, 3], rng);
  nn.sum(nn.mask(x, m)).backward();
  assert.deepEqual(Array.from(x.grad!), [1, 0, 1, 0, 0, 1]);
  const y = randomTensor([3], rng);
  const z = nn.add(nn.mul(y, nn.detach(y)), y);
  nn.sum(z).backward();
  y.grad!.forEach((g, i) => assert.ok(Math.abs(g - (y.data[i]! + 1)) < 1e-6, "d/dy (y·stop(y) + y) = stop(y) + 1"));
});

test("a tensor used twice receives both gradient contributions; intermediates release their gradients", () => {
  const x = Tensor.from([2, 3], [2], true);
  const y = nn.mul(x, x);
  const loss = nn.sum(nn.add(y, x));
  loss.backward();
  assert.deepEqual(Array.from(x.grad!), [5, 7]);
  assert.equal(y.grad, null);
  assert.throws(() => Tensor.from([1, 2]).backward(), /does not depend/);
  assert.throws(() => loss.backward(), /freed by an earlier backward/);
});

test("noGrad records no graph", () => {
  const x = Tensor.from([1, 2], [2], true);
  const y = nn.noGrad(() => nn.mul(x, x));
  assert.equal(y.requiresGrad, false);
  assert.equal(y.parents.length, 0);
});

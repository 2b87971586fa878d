import assert from "node:assert/strict";
import * as nn from "../../src/nn/index.ts";
import { MLP, StepArena, Tensor } from "../../src/nn/index.ts";
import { Rng } from "../../src/util/rng.ts";
import { testBoth } from "./backends.ts";

function trainSteps(useArena: boolean, steps: number): number[] {
  const rng = new Rng(3);
  const mlp = new MLP([16, 64, 64, 16], rng, { activation: "elu" });
  const x = Tensor.normal([100, 16], 0, 1, rng); // 100×64 outputs are pooled sizes (≥ 4096 values)
  const opt = new nn.Adam(mlp.parameters(), { lr: 1e-3 });
  const arena = new StepArena();
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const step = () => {
      opt.zeroGrad();
      const loss = nn.mse(mlp.forward(x), x);
      loss.backward();
      opt.step();
      return loss.item();
    };
    losses.push(useArena ? arena.step(step) : step());
  }
  arena.release();
  return losses;
}

testBoth("training inside StepArena.step gives exactly the losses of training without it (recycled buffers are fully overwritten)", () => {
  assert.deepEqual(trainSteps(true, 6), trainSteps(false, 6));
});

testBoth("a tensor from an earlier arena step expires with a clear error, detached views included; inputs and parameters never expire", () => {
  const arena = new StepArena();
  const w = Tensor.from([1, 2, 3, 4], [2, 2], true);
  const x = Tensor.from([1, 1], [1, 2]);
  const kept = arena.step(() => nn.matmul(x, w));
  const view = kept.detach();
  assert.deepEqual(kept.toArray(), [4, 6]);
  arena.step(() => nn.matmul(x, w));
  assert.throws(() => kept.toArray(), /earlier StepArena step/);
  assert.throws(() => view.data, /earlier StepArena step/);
  assert.deepEqual(w.toArray(), [1, 2, 3, 4]);
  assert.deepEqual(x.toArray(), [1, 1]);
});

testBoth("zeroGrad keeps a parameter's gradient buffer and the next backward overwrites it (same gradient as a fresh buffer, nothing stale added)", () => {
  const rng = new Rng(11);
  const mlp = new MLP([8, 16, 8], rng, { activation: "elu" });
  const x = Tensor.normal([32, 8], 0, 1, rng);
  const gradients = () => mlp.parameters().map((p) => Array.from(p.grad!));
  nn.mse(mlp.forward(x), x).backward();
  const first = gradients();
  const buffers = mlp.parameters().map((p) => p.grad);
  mlp.zeroGrad();
  assert.ok(mlp.parameters().every((p) => p.grad === null));
  nn.mse(mlp.forward(x), x).backward();
  assert.deepEqual(gradients(), first);
  assert.ok(mlp.parameters().every((p, i) => p.grad === buffers[i]), "buffers reused");
  for (const p of mlp.parameters()) p.grad = null; // dropping (not zeroGrad) allocates afresh: still the same gradient
  nn.mse(mlp.forward(x), x).backward();
  assert.deepEqual(gradients(), first);
});

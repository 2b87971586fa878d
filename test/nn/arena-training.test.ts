/** The CRL trainer's steps inside a StepArena (src/crl/train-epoch.ts) compute exactly what they compute without it. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Adam } from "../../src/nn/optim.ts";
import { StepArena } from "../../src/nn/tensor.ts";
import { Rng } from "../../src/util/rng.ts";
import { CrlTrainConfig, type CrlMode } from "../../src/crl/config.ts";
import { datasetFromMultimodal, modalityConfigs } from "../../src/crl/data.ts";
import { CrlModel } from "../../src/crl/model.ts";
import { prepareTrainingData } from "../../src/crl/train-data.ts";
import { runEpoch } from "../../src/crl/train-epoch.ts";
import { generateCrlCase } from "../../src/synth/crl-cases.ts";

function train(mode: CrlMode, batchSize: number, arena: StepArena | undefined) {
  const dataset = datasetFromMultimodal(generateCrlCase("a", 3, { nSamples: 300 }));
  const cfg = CrlTrainConfig.parse({ batchSize, seed: 4 });
  const rng = new Rng(4);
  const net = new CrlModel({ modalities: modalityConfigs(dataset, [3, 3]), sharedDim: 1, hidden: [64, 32], mode }, rng.fork(10));
  const opt = new Adam(net.parameters(), { lr: 1e-3 });
  const ctx = { cfg, data: prepareTrainingData(dataset, cfg, rng), rng, arena };
  const losses = Array.from({ length: 4 }, (_, e) => runEpoch(net, opt, e, ctx)).map((s) => [s.loss, s.recon, s.nll]);
  arena?.release();
  return { losses, parameters: net.parameters().map((p) => Array.from(p.data)) };
}

for (const mode of ["faithful", "default"] as const) {
  for (const batchSize of [0, 64]) {
    test(`${mode} mode, ${batchSize ? "mini-batches" : "full batch"}: epochs in a StepArena give bit-identical losses and parameters`, () => {
      const plain = train(mode, batchSize, undefined);
      const recycled = train(mode, batchSize, new StepArena());
      assert.deepEqual(recycled.losses, plain.losses);
      assert.deepEqual(recycled.parameters, plain.parameters);
    });
  }
}

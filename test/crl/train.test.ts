import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trainCrl } from "../../src/crl/train.ts";
import { datasetFromMultimodal, modalityConfigs } from "../../src/crl/data.ts";
import { saveCurves } from "../../src/crl/curves.ts";
import { runSyntheticCase } from "../../src/crl/synthetic-run.ts";
import { generateCrlCase } from "../../src/synth/crl-cases.ts";
import type { CrlModelConfig } from "../../src/crl/config.ts";

function small(n = 300) {
  const data = generateCrlCase("d", 4, { nSamples: n });
  const dataset = datasetFromMultimodal(data);
  const model: CrlModelConfig = { modalities: modalityConfigs(dataset, [2, 2]), hidden: [16, 8] };
  return { dataset, model };
}

test("trainCrl full-batch: one step per epoch, an evaluation every evalEvery epochs with MCC/R²/SHD against the truth", async () => {
  const { dataset, model } = small();
  const r = await trainCrl(dataset, model, { epochs: 4, evalEvery: 2, batchSize: 0, learningRate: 1e-3, seed: 1 });
  assert.deepEqual(r.curve.map((p) => p.epoch), [2, 4]);
  assert.equal(r.epochs.length, 4);
  assert.equal(r.evalRows.length, 30);
  assert.equal(r.trainRows.length, 270);
  assert.equal(new Set([...r.trainRows, ...r.evalRows]).size, 300);
  for (const p of r.curve) {
    assert.ok(p.mcc! > 0 && p.mcc! <= 1);
    assert.ok(Number.isFinite(p.r2!) && Number.isFinite(p.r2HeldOut!));
    assert.ok(Number.isInteger(p.shd));
  }
  assert.deepEqual([r.latents.rows, r.latents.cols], [300, 4]);
  assert.equal(r.alignedAdjacency!.length, 4);
});

test("trainCrl is deterministic for a fixed seed", async () => {
  const { dataset, model } = small(200);
  const a = await trainCrl(dataset, model, { epochs: 2, evalEvery: 2, batchSize: 64, seed: 9 });
  const b = await trainCrl(dataset, model, { epochs: 2, evalEvery: 2, batchSize: 64, seed: 9 });
  assert.equal(a.final.valLoss, b.final.valLoss);
  assert.deepEqual(a.latents.data, b.latents.data);
});

test("StepLR multiplies the learning rate by lrGamma every lrStepEpochs epochs", async () => {
  const { dataset, model } = small(200);
  const r = await trainCrl(dataset, model, { epochs: 3, evalEvery: 1, batchSize: 0, learningRate: 1e-3, lrStepEpochs: 1, lrGamma: 0.5, seed: 2 });
  assert.deepEqual(r.curve.map((p) => p.learningRate), [5e-4, 2.5e-4, 1.25e-4]);
});

test("early stopping ends training when the validation loss stops improving", async () => {
  const { dataset, model } = small(200);
  // A learning rate this small cannot move float32 parameters: the validation loss stays put.
  const r = await trainCrl(dataset, { ...model, variational: false }, { epochs: 50, evalEvery: 1, batchSize: 0, learningRate: 1e-12, patience: 2, seed: 3 });
  assert.equal(r.stoppedEarly, true);
  assert.equal(r.epochsRun, 3);
});

test("checkpoints are written and a resumed run continues from the saved epoch", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crl-ckpt-"));
  try {
    const { dataset, model } = small(200);
    const first = await trainCrl(dataset, model, { epochs: 2, evalEvery: 1, batchSize: 0, checkpointDir: dir, checkpointEvery: 1, seed: 4 });
    assert.ok(existsSync(join(dir, "crl-latest.safetensors")));
    assert.ok(existsSync(join(dir, "crl-epoch-1.safetensors")));
    const resumed = await trainCrl(dataset, model, { epochs: 4, evalEvery: 1, batchSize: 0, checkpointDir: dir, checkpointEvery: 1, resume: true, seed: 4 });
    assert.equal(resumed.resumedFromEpoch, 2);
    assert.equal(resumed.epochsRun, 4);
    assert.deepEqual(resumed.curve.map((p) => p.epoch), [1, 2, 3, 4]);
    assert.equal(resumed.curve[1]!.valLoss, first.curve[1]!.valLoss);
    assert.equal(resumed.epochs.length, 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("resume is exact: k epochs, checkpoint, resume for k more gives the parameters of 2k uninterrupted epochs (Adam state saved)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crl-resume-"));
  try {
    const { dataset, model } = small(200);
    // Mini-batches, variational encoders and a KL warm-up: every source of per-epoch state is exercised.
    const train = { evalEvery: 1, batchSize: 64, learningRate: 3e-3, klWarmupEpochs: 4, seed: 6 };
    const straight = await trainCrl(dataset, model, { ...train, epochs: 4 });
    await trainCrl(dataset, model, { ...train, epochs: 2, checkpointDir: dir, checkpointEvery: 2 });
    assert.ok(existsSync(join(dir, "crl-latest.adam.safetensors")));
    const resumed = await trainCrl(dataset, model, { ...train, epochs: 4, checkpointDir: dir, checkpointEvery: 2, resume: true });
    assert.equal(resumed.resumedFromEpoch, 2);
    const a = straight.model.stateDict();
    const b = resumed.model.stateDict();
    assert.deepEqual(Object.keys(b), Object.keys(a));
    for (const name of Object.keys(a)) assert.deepEqual(b[name]!.data, a[name]!.data, `parameter ${name} differs after resume`);
    assert.equal(resumed.final.valLoss, straight.final.valLoss);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("saveCurves writes curves.json and the loss/metric plots as SVG and PNG", async () => {
  const dir = mkdtempSync(join(tmpdir(), "crl-curves-"));
  try {
    const { dataset, model } = small(200);
    const r = await trainCrl(dataset, model, { epochs: 2, evalEvery: 1, batchSize: 0, seed: 5 });
    const files = await saveCurves(dir, r);
    for (const name of ["curves.json", "loss.svg", "loss.png", "metrics.svg", "metrics.png"]) assert.ok(files.includes(join(dir, name)), name);
    const json = JSON.parse(readFileSync(join(dir, "curves.json"), "utf8"));
    assert.equal(json.evaluations.length, 2);
    assert.match(readFileSync(join(dir, "metrics.svg"), "utf8"), /<polyline/);
    assert.deepEqual([...readFileSync(join(dir, "loss.png")).subarray(1, 4)], [0x50, 0x4e, 0x47]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("restarts train several initialisations and continue the one with the lowest training-row prior NLL", async () => {
  const { dataset, model } = small(200);
  const r = await trainCrl(dataset, model, { epochs: 3, evalEvery: 1, batchSize: 0, restarts: 3, restartEpochs: 1, seed: 6 });
  assert.equal(r.restartNlls!.length, 3);
  assert.equal(new Set(r.restartNlls).size, 3, "different initialisations");
  assert.equal(r.restartChosen, r.restartNlls!.indexOf(Math.min(...r.restartNlls!)));
  // The first initialisation is the one a run without restarts trains: its first epoch matches when it is kept.
  const single = await trainCrl(dataset, model, { epochs: 3, evalEvery: 1, batchSize: 0, seed: 6 });
  assert.equal(r.epochs[0]!.loss === single.epochs[0]!.loss, r.restartChosen === 0);
  assert.equal(r.epochsRun, 3);
  assert.equal(r.epochs.length, 3);
  assert.deepEqual(r.curve.map((p) => p.epoch), [2, 3]);
});

test("KL warm-up scales the prior term during training but not the validation loss", async () => {
  const { dataset, model } = small(200);
  const warm = await trainCrl(dataset, model, { epochs: 2, evalEvery: 1, batchSize: 0, klWarmupEpochs: 4, seed: 7 });
  const cold = await trainCrl(dataset, model, { epochs: 2, evalEvery: 1, batchSize: 0, seed: 7 });
  // Same initialisation and data: the first epoch's training loss differs only by the prior weight (1/4 vs 1).
  assert.ok(warm.epochs[0]!.loss < cold.epochs[0]!.loss);
  assert.equal(warm.model.priorWeight, 0.5);
  assert.ok(Number.isFinite(warm.final.valLoss));
});

test("trainCrl rejects data that does not match the model", async () => {
  const { dataset, model } = small(100);
  await assert.rejects(trainCrl(dataset, { ...model, modalities: model.modalities.slice(0, 1) }, { epochs: 1 }), /modalities/);
});

/** The trainer's stages (src/crl/train-*.ts), each on its own. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Adam } from "../../src/nn/optim.ts";
import { Rng } from "../../src/util/rng.ts";
import { CrlTrainConfig } from "../../src/crl/config.ts";
import { datasetFromMultimodal, modalityConfigs } from "../../src/crl/data.ts";
import { CrlModel } from "../../src/crl/model.ts";
import { checkpointDue } from "../../src/crl/train-checkpoint.ts";
import { applyStandardization, fitStandardization, prepareTrainingData, splitRows } from "../../src/crl/train-data.ts";
import { runEpoch } from "../../src/crl/train-epoch.ts";
import { betterByMcc, ValidationPatience, type CurvePoint } from "../../src/crl/train-evaluate.ts";
import { generateCrlCase } from "../../src/synth/crl-cases.ts";

const cfg = (input: CrlTrainConfig = {}) => CrlTrainConfig.parse(input);

test("splitRows: a seeded permutation whose last fraction (≥ 2 rows) is the evaluation split", () => {
  const a = splitRows(50, 0.1, new Rng(3));
  assert.deepEqual([a.trainRows.length, a.evalRows.length], [45, 5]);
  assert.deepEqual([...a.trainRows, ...a.evalRows].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(splitRows(50, 0.1, new Rng(3)), a);
  assert.notDeepEqual(splitRows(50, 0.1, new Rng(4)).evalRows, a.evalRows);
  assert.equal(splitRows(10, 0.01, new Rng(1)).evalRows.length, 2, "at least two evaluation rows");
  const none = splitRows(10, 0, new Rng(1));
  assert.equal(none.evalRows, none.trainRows, "no evaluation split: the training rows are evaluated");
  assert.throws(() => splitRows(3, 0.5, new Rng(1)), /3 rows leave too few for training/);
});

test("standardisation is fitted on the given rows only (sample sd), keeps constant columns and can be switched off", () => {
  // Two columns; rows 0–2 are the training rows, row 3 an outlier that must not shift the fit.
  const x = Float32Array.from([1, 5, 2, 5, 3, 5, 100, -7]);
  const s = fitStandardization(x, 2, [0, 1, 2], true);
  assert.deepEqual([...s.mean], [2, 5]);
  assert.deepEqual([...s.sd], [1, 1], "column 0: sample sd 1; column 1 is constant and is only centred");
  assert.deepEqual([...applyStandardization(x, 2, s)], [-1, 0, 0, 0, 1, 0, 98, -12]);
  const off = fitStandardization(x, 2, [0, 1, 2], false);
  assert.deepEqual([...applyStandardization(x, 2, off)], [...x]);
});

test("prepareTrainingData: batches hold the standardised rows; one full batch unless mini-batches are asked for", () => {
  const dataset = datasetFromMultimodal(generateCrlCase("d", 4, { nSamples: 40 }));
  const rng = new Rng(5);
  const full = prepareTrainingData(dataset, cfg({ batchSize: 0, seed: 5 }), rng);
  assert.deepEqual(full, { ...full, ...splitRows(40, 0.1, rng.fork(11)) }, "the split comes from the root stream's fork 11");
  assert.equal(full.fullTrainBatch![0]![0]!.shape[0], 36);
  assert.equal(full.evalBatch[0]![0]!.shape[0], 4);
  assert.deepEqual([full.truthEval!.rows, full.truthEval!.cols], [4, dataset.truth!.latents.cols]);
  // Standardised on the training rows: each training column has mean 0.
  const train = full.fullTrainBatch![0]![0]!;
  const dim = train.shape[1]!;
  for (let j = 0; j < dim; j++) {
    let sum = 0;
    for (let i = 0; i < 36; i++) sum += train.data[i * dim + j]!;
    assert.ok(Math.abs(sum / 36) < 1e-5, `column ${j} mean ${sum / 36}`);
  }
  assert.equal(prepareTrainingData(dataset, cfg({ batchSize: 16 }), rng).fullTrainBatch, undefined);
  assert.ok(prepareTrainingData(dataset, cfg({ batchSize: 36 }), rng).fullTrainBatch, "a batch as large as the training split is the full batch");
});

test("runEpoch: one step on the full batch; mini-batches drop a last batch smaller than half a batch", () => {
  const dataset = datasetFromMultimodal(generateCrlCase("d", 4, { nSamples: 111 }));
  const model = () => new CrlModel({ modalities: modalityConfigs(dataset, [2, 2]), hidden: [8] }, new Rng(1));
  const batches = (batchSize: number) => {
    const c = cfg({ batchSize, seed: 2 });
    const rng = new Rng(2);
    const net = model();
    return runEpoch(net, new Adam(net.parameters(), { lr: 1e-3 }), 0, { cfg: c, data: prepareTrainingData(dataset, c, rng), rng }).batches;
  };
  // 100 training rows: 64 + 36 (kept, ≥ 32); 80 + 20 (dropped, < 40).
  assert.deepEqual([batches(0), batches(64), batches(80), batches(50)], [1, 2, 1, 2]);
});

test("runEpoch sets the KL warm-up weight of its epoch", () => {
  const dataset = datasetFromMultimodal(generateCrlCase("d", 4, { nSamples: 60 }));
  const c = cfg({ klWarmupEpochs: 4 });
  const rng = new Rng(0);
  const net = new CrlModel({ modalities: modalityConfigs(dataset, [2, 2]), hidden: [8] }, rng.fork(10));
  const ctx = { cfg: c, data: prepareTrainingData(dataset, c, rng), rng };
  const opt = new Adam(net.parameters(), { lr: 1e-3 });
  runEpoch(net, opt, 0, ctx);
  assert.equal(net.priorWeight, 0.25);
  runEpoch(net, opt, 5, ctx);
  assert.equal(net.priorWeight, 1);
});

test("ValidationPatience stops after `patience` evaluations without an improvement; 0 never stops", () => {
  const p = new ValidationPatience(2);
  assert.deepEqual([5, 4, 4, 3, 3.5, 3].map((v) => p.update(v)), [false, false, false, false, false, true]);
  const never = new ValidationPatience(0);
  assert.ok([1, 1, 1, 1].every((v) => !never.update(v)));
});

test("betterByMcc keeps the first of equal MCCs and ignores points without one", () => {
  const point = (epoch: number, mcc?: number) => ({ epoch, mcc }) as CurvePoint;
  const a = point(1, 0.5);
  assert.equal(betterByMcc(undefined, point(1)), undefined);
  assert.equal(betterByMcc(undefined, a), a);
  assert.equal(betterByMcc(a, point(2, 0.5)), a);
  assert.equal(betterByMcc(a, point(3)), a);
  assert.equal(betterByMcc(a, point(4, 0.6))!.epoch, 4);
});

test("checkpointDue: every checkpointEvery epochs, or (0) only at the evaluated last epoch, and never without a directory", () => {
  const every2 = cfg({ epochs: 5, checkpointDir: "/tmp/x", checkpointEvery: 2 });
  assert.deepEqual([1, 2, 3, 4, 5].map((e) => checkpointDue(every2, e, e === 5)), [false, true, false, true, false]);
  const atEnd = cfg({ epochs: 5, checkpointDir: "/tmp/x", checkpointEvery: 0 });
  assert.deepEqual([1, 2, 3, 4, 5].map((e) => checkpointDue(atEnd, e, e === 5)), [false, false, false, false, true]);
  assert.equal(checkpointDue(cfg({ epochs: 2, checkpointEvery: 1 }), 1, true), false);
});

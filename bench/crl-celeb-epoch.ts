/**
 * The CelebPersona-shape epoch timing of `npm run bench -- crl` (see crl.bench.ts), run in a child process so
 * that each measurement loads OpenBLAS with the kernel set it asks for (OpenBLAS reads OPENBLAS_CORETYPE once,
 * at load). Run directly, it prints its record as JSON.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CrlModel } from "../src/crl/model.ts";
import { activeLinalg } from "../src/linalg/index.ts";
import { Adam } from "../src/nn/optim.ts";
import { StepArena, Tensor } from "../src/nn/tensor.ts";
import { Rng } from "../src/util/rng.ts";

export interface CelebEpochRecord {
  seconds: number;
  epochs_timed: number;
  rows: number;
  parameters: number;
  backend: string;
  blas_core: string;
  blas_threads: number;
}

/** Median of 3 full-batch epochs after a warm-up, each in a StepArena as `crl train`'s epochs. */
export function timeCelebEpochs(): CelebEpochRecord {
  const rows = 8500;
  const model = new CrlModel({
    modalities: [
      { name: "face", inputDim: 1024, latentDim: 10, measurements: 3 },
      { name: "text", inputDim: 1024, latentDim: 5, measurements: 3 },
    ],
    sharedDim: 3,
    hidden: [512, 256, 128],
    activation: "elu",
    mode: "faithful",
  }, new Rng(7));
  const rng = new Rng(8);
  const batch = model.config.modalities.map((m) => Array.from({ length: m.measurements }, () =>
    new Tensor(Float32Array.from(rng.normals(rows * m.inputDim)), [rows, m.inputDim])));
  const optimizer = new Adam(model.parameters(), { lr: 3e-4 });
  const arena = new StepArena();
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    const started = performance.now();
    arena.step(() => {
      const out = model.forward(batch);
      optimizer.zeroGrad();
      out.loss.backward();
      optimizer.step();
      return out.loss.item();
    });
    if (i > 0) times.push((performance.now() - started) / 1000); // the first epoch is a warm-up
  }
  arena.release();
  times.sort((a, b) => a - b);
  const linalg = activeLinalg();
  return {
    seconds: times[Math.floor(times.length / 2)]!,
    epochs_timed: times.length,
    rows,
    parameters: model.parameterCount(),
    backend: linalg.name,
    blas_core: linalg.blasCore(),
    blas_threads: linalg.threads(),
  };
}

/** timeCelebEpochs() in a child process with the given environment. */
export function timeCelebEpochsIn(env: NodeJS.ProcessEnv): CelebEpochRecord {
  const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (run.status !== 0) throw new Error(`celeb-shape epoch timing failed (exit ${run.status})`);
  return JSON.parse(run.stdout.trim().split("\n").pop()!) as CelebEpochRecord;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(timeCelebEpochs()));

/**
 * One full-batch training step (forward + backward + Adam) of the CelebPersona-shaped CRL model, the
 * workload of issue 5 / DESIGN §3: six measurement autoencoders 1024→512→256→128→(d+1) and back with ELU
 * (latents d = [10, 10, 10, 5, 5, 5]), a shared autoencoder on the 6,144-d concatenation (3 latents + 1),
 * MSE reconstruction losses (each decoder's last layer fused with its loss: MLP.mseLoss), 8,500 rows. PyTorch reference: 7.3 s/step on 2 threads
 * (test/fixtures/reference-timings.json).
 *
 * Each step runs inside a StepArena (op outputs reuse the previous step's memory, like PyTorch's caching
 * allocator). step_seconds: native path, median of 5 steps after one warm-up step. gemm_seconds: time inside sgemm
 * during those steps (median). The portable fallback needs minutes per full step, so it is timed at two
 * small row counts and extrapolated linearly in rows (every GEMM and element-wise pass is linear in rows;
 * Adam is the constant term); the JSON says so. Environment: PERSONAX_BENCH_ROWS (default 8500),
 * PERSONAX_BENCH_FALLBACK_ROWS (default "96,192"), PERSONAX_BENCH_SKIP_FALLBACK=1 (re-times the native path
 * only and keeps the fallback figures of the previous results file, saying so).
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { fallbackLinalg, makeLinalg, nativeLinalg, type Linalg } from "../src/linalg/index.ts";
import { Adam, MLP, Module, StepArena, Tensor, add, setNnLinalg } from "../src/nn/index.ts";
import { Rng } from "../src/util/rng.ts";

const LATENTS = [10, 10, 10, 5, 5, 5];
const SHARED_LATENTS = 3;
const INPUT = 1024;

class Autoencoder extends Module {
  readonly encoder: MLP;
  readonly decoder: MLP;
  constructor(input: number, code: number, rng: Rng) {
    super();
    this.encoder = this.module("encoder", new MLP([input, 512, 256, 128, code], rng, { activation: "elu" }));
    this.decoder = this.module("decoder", new MLP([code, 128, 256, 512, input], rng, { activation: "elu" }));
  }
  loss(x: Tensor): Tensor {
    // = mse(decoder.forward(code), x), with the decoder's last layer fused into the loss (linearMse).
    return this.decoder.mseLoss(this.encoder.forward(x), x);
  }
}

class CelebShapedModel extends Module {
  readonly measurements: Autoencoder[];
  readonly shared: Autoencoder;
  constructor(rng: Rng) {
    super();
    this.measurements = LATENTS.map((d, i) => this.module(`measurement${i}`, new Autoencoder(INPUT, d + 1, rng)));
    this.shared = this.module("shared", new Autoencoder(INPUT * LATENTS.length, SHARED_LATENTS + 1, rng));
  }
  loss(inputs: Tensor[], concatenated: Tensor): Tensor {
    let total = this.shared.loss(concatenated);
    this.measurements.forEach((ae, i) => (total = add(total, ae.loss(inputs[i]!))));
    return total;
  }
}

function makeData(rows: number, rng: Rng): { inputs: Tensor[]; concatenated: Tensor } {
  const inputs = LATENTS.map(() => Tensor.normal([rows, INPUT], 0, 1, rng));
  const concatenated = Tensor.zeros([rows, INPUT * LATENTS.length]);
  const width = INPUT * LATENTS.length;
  inputs.forEach((x, m) => {
    for (let r = 0; r < rows; r++) concatenated.data.set(x.data.subarray(r * INPUT, (r + 1) * INPUT), r * width + m * INPUT);
  });
  return { inputs, concatenated };
}

/** The backend with sgemm wrapped in a timer. */
function timed(base: Linalg): { linalg: Linalg; gemmSeconds: () => number; gemmFlops: () => number; reset: () => void } {
  let seconds = 0, flops = 0;
  const k = base.kernels;
  const linalg = makeLinalg(base.name, {
    ...k,
    sgemm(...args: Parameters<typeof k.sgemm>) {
      const t0 = performance.now();
      k.sgemm(...args);
      seconds += (performance.now() - t0) / 1000;
      flops += 2 * args[2] * args[3] * args[4]; // 2·m·n·k
    },
  });
  return { linalg, gemmSeconds: () => seconds, gemmFlops: () => flops, reset: () => { seconds = 0; flops = 0; } };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function measure(base: Linalg, rows: number, steps: number, warmup: number, log: (s: string) => void) {
  const clock = timed(base);
  setNnLinalg(clock.linalg);
  const rng = new Rng(0);
  const model = new CelebShapedModel(rng);
  const { inputs, concatenated } = makeData(rows, rng);
  const optimizer = new Adam(model.parameters(), { lr: 3e-4 });
  const arena = new StepArena(); // op outputs reuse the previous step's memory, as PyTorch's caching allocator
  const stepSeconds: number[] = [], gemmSeconds: number[] = [], losses: number[] = [];
  let gemmFlops = 0;
  for (let s = 0; s < warmup + steps; s++) {
    clock.reset();
    const t0 = performance.now();
    const loss = arena.step(() => {
      optimizer.zeroGrad();
      const total = model.loss(inputs, concatenated);
      total.backward();
      optimizer.step();
      return total.item();
    });
    const seconds = (performance.now() - t0) / 1000;
    losses.push(loss);
    log(`  ${base.name} rows=${rows} step ${s + 1}/${warmup + steps}: ${seconds.toFixed(2)} s (gemm ${clock.gemmSeconds().toFixed(2)} s), loss ${loss.toFixed(4)}`);
    if (s >= warmup) { stepSeconds.push(seconds); gemmSeconds.push(clock.gemmSeconds()); }
    gemmFlops = clock.gemmFlops();
  }
  arena.release();
  return { stepSeconds, gemmSeconds, gemmFlops, losses, parameters: model.parameterCount() };
}

export default async function nnBench(): Promise<Record<string, unknown>> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const rows = Number(process.env.PERSONAX_BENCH_ROWS ?? 8500);
  const result: Record<string, unknown> = {
    workload: "one full-batch step (forward + backward + Adam) of the CelebPersona-shaped model: 6 measurement autoencoders 1024→512→256→128→(d+1)→…→1024 with ELU, d = [10,10,10,5,5,5], shared autoencoder 6144→512→256→128→4→…→6144, MSE losses",
    rows,
    reference_pytorch_step_seconds: 7.3,
    target_step_seconds: 3.6,
    load_average_at_start: os.loadavg().map((v) => +v.toFixed(2)),
    note: "load_average_at_start tells how busy the 2-core machine was; GEMM throughput near 190 GFLOP/s means the machine was quiet",
  };
  const nativePath = nativeLinalg();
  if (nativePath) {
    log(`native (OpenBLAS, ${nativePath.threads()} threads):`);
    const native = measure(nativePath, rows, 5, 1, log);
    const step = median(native.stepSeconds), gemm = median(native.gemmSeconds);
    Object.assign(result, {
      backend: "native",
      step_seconds: +step.toFixed(3),
      gemm_seconds: +gemm.toFixed(3),
      gemm_share: +(gemm / step).toFixed(3),
      gemm_gflop_per_step: +(native.gemmFlops / 1e9).toFixed(1),
      gemm_gflops_achieved: +(native.gemmFlops / 1e9 / gemm).toFixed(1),
      non_gemm_seconds: +(step - gemm).toFixed(3),
      step_seconds_all: native.stepSeconds.map((v) => +v.toFixed(3)),
      threads: nativePath.threads(),
      parameters: native.parameters,
      speedup_vs_pytorch: +(7.3 / step).toFixed(2),
    });
  } else {
    Object.assign(result, { backend: "fallback", step_seconds: null, note_native: "native addon not built", threads: 1 });
  }
  if (process.env.PERSONAX_BENCH_SKIP_FALLBACK === "1") {
    // Keep the fallback figures of the previous run (they take minutes to measure), marked as such.
    const previous = await readFile(new URL("./results/nn.json", import.meta.url), "utf8").then((t) => JSON.parse(t) as Record<string, unknown>, () => ({} as Record<string, unknown>));
    result.fallback_step_seconds = previous.fallback_step_seconds ?? null;
    for (const key of ["fallback_method", "fallback_measured", "fallback_gemm_share"]) if (previous[key] !== undefined) result[key] = previous[key];
    if (previous.fallback_step_seconds != null) result.fallback_note = `fallback figures copied from the run started ${String(previous.started)}`;
  } else {
    const sizes = (process.env.PERSONAX_BENCH_FALLBACK_ROWS ?? "96,192").split(",").map(Number);
    log("fallback (portable TypeScript):");
    measure(fallbackLinalg, 16, 1, 0, log); // JIT warm-up
    const times = sizes.map((r) => measure(fallbackLinalg, r, 1, 0, log));
    const [r1, r2] = [sizes[0]!, sizes[sizes.length - 1]!];
    const [t1, t2] = [times[0]!.stepSeconds[0]!, times[times.length - 1]!.stepSeconds[0]!];
    const perRow = (t2 - t1) / (r2 - r1);
    const fixed = Math.max(0, t1 - perRow * r1);
    Object.assign(result, {
      fallback_step_seconds: +(fixed + perRow * rows).toFixed(1),
      fallback_method: `extrapolated: one step timed at ${sizes.join(" and ")} rows, fitted t = a + b·rows, evaluated at ${rows} rows`,
      fallback_measured: Object.fromEntries(sizes.map((r, i) => [`rows_${r}`, +times[i]!.stepSeconds[0]!.toFixed(2)])),
      fallback_gemm_share: +(times.at(-1)!.gemmSeconds[0]! / t2).toFixed(3),
    });
    result.parameters ??= times[0]!.parameters;
  }
  setNnLinalg(nativeLinalg() ?? fallbackLinalg);
  return result;
}

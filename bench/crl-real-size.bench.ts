/**
 * `npm run bench -- crl-real-size`: Level II at CelebPersona's real size, as a user would run it:
 *   1. `personax synth linked --n 9444`: 3 face + 3 text embeddings of 1,024-d from known latents
 *      [10 face, 5 text, 3 shared], some latents setting known columns (synth/linked-latents.ts);
 *   2. `personax crl train` with the example config examples/celebpersona/crl.json, which must stop by early
 *      stopping on the validation loss;
 *   3. `personax crl interpret --links … --truth …`: names the latents and scores the names against the links.
 * Each phase is a child process under one wall-clock deadline; the record says how far it got. Besides wall
 * time it records each phase's CPU seconds (from /proc), which do not depend on how busy the machine is:
 * CPU seconds per epoch / cores ≈ seconds per epoch on an idle machine of this kind.
 * Environment: CRL_REAL_SIZE_N (default 9444), CRL_REAL_SIZE_DEADLINE_MINUTES (default 40).
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const TICKS_PER_SECOND = 100; // Linux USER_HZ

interface Phase { name: string; exitCode: number | null; wallSeconds: number; cpuSeconds: number; stdout: string; stderrTail: string; lastEpoch: number }

/** CPU seconds (user + system) of a process and its waited-for children, from /proc/<pid>/stat. */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

async function runPhase(name: string, args: string[], deadline: number): Promise<Phase> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "src", "cli", "main.ts"), ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const phase: Phase = { name, exitCode: null, wallSeconds: 0, cpuSeconds: 0, stdout: "", stderrTail: "", lastEpoch: 0 };
  child.stdout.on("data", (d: Buffer) => { phase.stdout += d.toString(); });
  child.stderr.on("data", (d: Buffer) => {
    const text = d.toString();
    phase.stderrTail = (phase.stderrTail + text).slice(-3000);
    for (const m of text.matchAll(/crl train: (\d+)\/\d+ epochs/g)) phase.lastEpoch = Number(m[1]);
    process.stderr.write(text);
  });
  const sampler = setInterval(() => { phase.cpuSeconds = cpuSecondsOf(child.pid!) ?? phase.cpuSeconds; }, 1000);
  const timer = setTimeout(() => child.kill("SIGTERM"), Math.max(1000, deadline - Date.now()));
  phase.exitCode = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  clearTimeout(timer);
  clearInterval(sampler);
  phase.wallSeconds = +((performance.now() - started) / 1000).toFixed(1);
  phase.cpuSeconds = +phase.cpuSeconds.toFixed(1);
  return phase;
}

export default async function crlRealSize(): Promise<Record<string, unknown>> {
  const n = Number(process.env["CRL_REAL_SIZE_N"] ?? 9444);
  const deadlineMinutes = Number(process.env["CRL_REAL_SIZE_DEADLINE_MINUTES"] ?? 40);
  const deadline = Date.now() + deadlineMinutes * 60_000;
  const dir = await mkdtemp(join(tmpdir(), "personax-crl-real-size-"));
  const load: Record<string, number[]> = { start: loadavg() };
  const record: Record<string, unknown> = {
    persons: n, embeddings: "3 face + 3 text, 1024-d", latents: "[10 face, 5 text] + 3 shared", config: "examples/celebpersona/crl.json",
    deadline_minutes: deadlineMinutes, cores: cpus().length,
    // OpenBLAS uses every core unless told otherwise; a run confined to one core sets OPENBLAS_NUM_THREADS=1.
    blas_threads: process.env["OPENBLAS_NUM_THREADS"] ?? `default (${cpus().length})`,
    // OpenBLAS's kernel set: forced by OPENBLAS_CORETYPE (this machine's environment sets Haswell) or its own choice.
    blas_core: process.env["OPENBLAS_CORETYPE"] ? `${process.env["OPENBLAS_CORETYPE"]} (OPENBLAS_CORETYPE)` : "OpenBLAS's choice for the CPU",
    machine_load: load,
  };
  const summarize = (p: Phase) => ({ completed: p.exitCode === 0, exit: p.exitCode, wall_seconds: p.wallSeconds, cpu_seconds: p.cpuSeconds });
  const done = (reached: string) => ({ ...record, reached, notes: contentionNote(load) });

  const store = join(dir, "celeb.duckdb");
  const synth = await runPhase("synth", ["synth", "linked", "--n", String(n), "--seed", "2026", "--latent-dims", "10,5", "--shared", "3", "--dim", "1024", "--out", store, "--json"], deadline);
  load["after_synth"] = loadavg();
  record["synth"] = summarize(synth);
  if (synth.exitCode !== 0) return done("synth (the store was not finished before the deadline)");

  const example = JSON.parse(await readFile(join(root, "examples", "celebpersona", "crl.json"), "utf8")) as { train: { epochs: number }; [k: string]: unknown };
  const config = { ...example, data: { ...(example["data"] as object), store }, out: join(dir, "run") };
  await writeFile(join(dir, "crl.json"), JSON.stringify(config, null, 2));
  const train = await runPhase("train", ["crl", "train", "--config", join(dir, "crl.json"), "--json"], deadline);
  load["after_training"] = loadavg();
  const epochs = train.exitCode === 0 ? (JSON.parse(train.stdout) as { epochs: number }).epochs : train.lastEpoch;
  record["train"] = {
    ...summarize(train), epochs, max_epochs: example.train.epochs,
    stopped_early: train.exitCode === 0 && epochs < example.train.epochs,
    time_to_early_stop_seconds: train.exitCode === 0 ? train.wallSeconds : null,
    seconds_per_epoch_wall: epochs ? +(train.wallSeconds / epochs).toFixed(2) : null,
    cpu_seconds_per_epoch: epochs ? +(train.cpuSeconds / epochs).toFixed(2) : null,
    // secondsPerEpoch: training epochs only (the train command's own measure, without loading, evaluations and PC).
    ...(train.exitCode === 0 ? { summary: pick(JSON.parse(train.stdout), ["secondsPerEpoch", "epochs", "final", "pc"]) } : { stderr_tail: train.stderrTail.slice(-600) }),
  };
  if (train.exitCode !== 0) return done("crl train (stopped by the deadline before early stopping)");

  const interpret = await runPhase("interpret", ["crl", "interpret", "--run", join(dir, "run"), "--store", store,
    "--links", store.replace(/\.duckdb$/, ".truth.json"), "--truth", store.replace(/\.duckdb$/, ".latents.csv"), "--json"], deadline);
  load["end"] = loadavg();
  record["interpret"] = {
    ...summarize(interpret),
    ...(interpret.exitCode === 0 ? pick(JSON.parse(interpret.stdout), ["score", "redundancy", "warnings", "latents", "rows", "tests"]) : { stderr_tail: interpret.stderrTail.slice(-600) }),
  };
  return done(interpret.exitCode === 0 ? "all phases" : "crl interpret (not finished before the deadline)");
}

function pick(object: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in object).map((k) => [k, object[k]]));
}

function contentionNote(load: Record<string, number[]>): string {
  const cores = cpus().length;
  const worst = Math.max(...Object.values(load).map((l) => l[0]!));
  // The load at the start is other processes' (the bench has not begun); later readings include the bench's own ~cores.
  const before = load["start"]?.[0] ?? 0;
  if (worst > cores * 1.5) {
    return `measured on a shared machine under heavy contention (1-minute load average up to ${worst.toFixed(1)} on ${cores} cores): ` +
      "wall times are pessimistic by a large factor; cpu_seconds do not depend on the load (cpu_seconds / cores ≈ idle wall time)";
  }
  return before > 0.5
    ? `other processes were running when the bench started (1-minute load average ${before.toFixed(1)} on ${cores} cores): ` +
      "wall times may be somewhat pessimistic; cpu_seconds are not affected"
    : `measured on an otherwise idle machine (1-minute load average ${before.toFixed(1)} at the start)`;
}

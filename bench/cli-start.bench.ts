/**
 * Start-up time of the installed `personax` command (issue 15, must-show 2: median ≤ 0.3 s for `--version` and
 * `level1 --help`), and the size of a plain install (must-show 3: < 200 MB).
 *
 * The package is packed and installed into a fresh project exactly as test/package/package.test.ts does
 * (scripts/pack-install.ts: `npm ci --ignore-scripts`, offline, as an unprivileged user), so the timings are
 * of the compiled CLI a user runs. Side by side on the same machine: `node -e 0` (Node's own start-up, the
 * floor) and the same commands from the source tree through tsx (how the CLI ran before it was compiled).
 * Each command runs RUNS times, interleaved, under /usr/bin/time (wall time, and CPU time = user + system, which
 * shows how much of a slow wall time was waiting for a busy CPU); the JSON keeps every time.
 * Environment: PERSONAX_BENCH_RUNS (default 15).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { packAndInstall, repoRoot } from "../scripts/pack-install.ts";

const RUNS = Number(process.env.PERSONAX_BENCH_RUNS ?? 15);
const TARGET_SECONDS = 0.3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function diskBytes(path: string): number {
  return Number(spawnSync("du", ["-sb", path], { encoding: "utf8" }).stdout.split("\t")[0]);
}

export default async function cliStart(): Promise<Record<string, unknown>> {
  const loadAtStart = os.loadavg().map((l) => +l.toFixed(2));
  const project = packAndInstall();
  try {
    const installed = join(project.dir, "node_modules", ".bin", "personax");
    // Each run goes through /usr/bin/time, which reports the child's wall time and its CPU time (user + system):
    // wall time is the target; CPU time says how much of it was the program rather than waiting for a core.
    // Without /usr/bin/time (Debian package "time"), wall time only.
    const hasTime = existsSync("/usr/bin/time");
    const timed = (run: (command: string, args: string[]) => { status: number | null; stderr: string }, command: string, args: string[]) => () => {
      const started = performance.now();
      const r = hasTime ? run("/usr/bin/time", ["-f", "TIME %e %U %S", command, ...args]) : run(command, args);
      const elapsed = (performance.now() - started) / 1000;
      if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${r.stderr}`);
      if (!hasTime) return { wall: +elapsed.toFixed(3), cpu: Number.NaN };
      const [wall, user, system] = /TIME (\S+) (\S+) (\S+)\s*$/.exec(r.stderr)!.slice(1).map(Number) as [number, number, number];
      return { wall, cpu: +(user + system).toFixed(3) };
    };
    const inProject = (command: string, args: string[]) => project.run(command, args);
    const inSource = (command: string, args: string[]) => spawnSync(command, args, { encoding: "utf8", env: { ...process.env, PERSONAX_DIST: "" } });
    const sourceBin = join(repoRoot, "bin", "personax.js");
    const commands: Record<string, () => { wall: number; cpu: number }> = {
      "node -e 0": timed(inProject, process.execPath, ["-e", "0"]),
      "personax --version": timed(inProject, installed, ["--version"]),
      "personax level1 --help": timed(inProject, installed, ["level1", "--help"]),
      "source tree (tsx): personax --version": timed(inSource, process.execPath, [sourceBin, "--version"]),
      "source tree (tsx): personax level1 --help": timed(inSource, process.execPath, [sourceBin, "level1", "--help"]),
    };

    const seconds: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    const cpuSeconds: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    for (const run of Object.values(commands)) run(); // warm the file cache
    for (let i = 0; i < RUNS; i++) {
      for (const [name, run] of Object.entries(commands)) {
        const t = run();
        seconds[name]!.push(t.wall);
        cpuSeconds[name]!.push(t.cpu);
      }
    }
    const medians = Object.fromEntries(Object.entries(seconds).map(([k, v]) => [k, +median(v).toFixed(3)]));
    const cpuMedians = Object.fromEntries(Object.entries(cpuSeconds).map(([k, v]) => [k, +median(v).toFixed(3)]));
    const installBytes = diskBytes(join(project.dir, "node_modules"));
    return {
      workload: "wall time of one process start, installed package (compiled JavaScript in dist/), run as the install user",
      runs: RUNS,
      target_median_seconds: TARGET_SECONDS,
      load_average_at_start: loadAtStart,
      load_average_at_end: os.loadavg().map((l) => +l.toFixed(2)),
      note: "load averages above the core count mean other work shared the CPU; node -e 0 is the floor on this machine at this moment",
      median_seconds: medians,
      median_cpu_seconds: cpuMedians,
      meets_target: medians["personax --version"]! <= TARGET_SECONDS && medians["personax level1 --help"]! <= TARGET_SECONDS,
      over_node_startup_seconds: {
        "personax --version": +(medians["personax --version"]! - medians["node -e 0"]!).toFixed(4),
        "personax level1 --help": +(medians["personax level1 --help"]! - medians["node -e 0"]!).toFixed(4),
      },
      speedup_vs_source_tree: {
        "personax --version": +(medians["source tree (tsx): personax --version"]! / medians["personax --version"]!).toFixed(1),
        "personax level1 --help": +(medians["source tree (tsx): personax level1 --help"]! / medians["personax level1 --help"]!).toFixed(1),
      },
      seconds,
      cpu_seconds: cpuSeconds,
      package: {
        tarball_bytes: project.pack.size,
        unpacked_bytes: project.pack.unpackedSize,
        files: project.pack.files.length,
        install_node_modules_bytes: installBytes,
        install_node_modules_mb: +(installBytes / 1e6).toFixed(1),
        install_target_mb: 200,
        install: "npm ci --ignore-scripts of the tarball alone (no optional peers), offline, lockfile cut from the repository's",
      },
    };
  } finally {
    project.cleanup();
  }
}

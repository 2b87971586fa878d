import { Progress, type ProgressOptions } from "./progress.ts";

/**
 * Where a command writes. Results go to `out` (stdout), messages and progress to `err` (stderr), so
 * `personax … --json | jq` works. Tests pass a recording CliIo.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** A progress reporter: a bar on a TTY, plain lines otherwise, nothing when quiet. */
  progress(options: ProgressOptions): Progress;
}

/**
 * The process's streams. A reader that goes away (`personax … | head -0`) makes the next write fail with
 * EPIPE: that is the reader's choice, not an error, so the process ends quietly with the status it has.
 */
export function stdio(): CliIo {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
      throw error;
    });
  }
  return {
    out: (text) => process.stdout.write(text.endsWith("\n") ? text : text + "\n"),
    err: (text) => process.stderr.write(text.endsWith("\n") ? text : text + "\n"),
    progress: (options) => new Progress({ stream: process.stderr, ...options }),
  };
}

/** Collects everything a command writes; for tests. */
export function recordingIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [], stderr: string[] = [];
  return {
    stdout, stderr,
    out: (t) => void stdout.push(t),
    err: (t) => void stderr.push(t),
    progress: (options) => new Progress({ ...options, quiet: true }),
  };
}

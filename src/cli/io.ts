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

export function stdio(): CliIo {
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

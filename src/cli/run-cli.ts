import { makeProgram } from "./program.ts";
import type { CliIo } from "./io.ts";
import { DataError, exitCodeFor, PersonaxError } from "../errors.ts";
import { redactSecrets } from "../traits/redact.ts";

/**
 * Runs `personax` with user arguments (without "node personax") and returns the exit code:
 * 0 ok, 1 failure, 2 bad input or usage. Errors are printed to io.err; stacks only with --debug.
 */
/**
 * A Node file-system error that reached the top (EEXIST, ENOTDIR, EACCES…) names its path but reads like a
 * crash; this turns it into a message that says what is wrong with the path and what to do.
 */
export function fromSystemError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof PersonaxError) return error;
  const { code, path, syscall } = error as NodeJS.ErrnoException;
  if (!code || !path) return error;
  const problems: Record<string, [string, string]> = {
    EEXIST: ["a file is in the way (a folder was expected there)", "choose another path, or remove that file"],
    ENOTDIR: ["a part of the path is a file, not a folder", "choose another path, or remove that file"],
    EISDIR: ["it is a folder, a file was expected", "give the path of a file"],
    EACCES: ["permission denied", "choose a path you can write to (or read from), or fix its permissions"],
    EPERM: ["operation not permitted", "choose a path you can write to, or fix its permissions"],
    EROFS: ["the file system is read-only", "choose a path on a writable disk"],
    ENOENT: ["no such file or folder", "check the path"],
    ENOSPC: ["the disk is full", "free some space or write elsewhere"],
  };
  const known = problems[code];
  if (!known) return error;
  const verb = syscall === "mkdir" ? "create the folder" : syscall === "open" || syscall === "write" ? "write or open" : syscall ?? "use";
  return new DataError(path, 0, undefined, `cannot ${verb}: ${known[0]} (${code})`, known[1]);
}

export async function runCli(args: string[], io: CliIo): Promise<number> {
  const debug = args.includes("--debug");
  try {
    const program = await makeProgram(io, args);
    await program.exitOverride().parseAsync(args, { from: "user" });
    return 0;
  } catch (caught) {
    const error = fromSystemError(caught);
    const code = (error as { code?: string }).code ?? "";
    if (code === "commander.helpDisplayed" || code === "commander.version" || code === "commander.help") return 0;
    if (!code.startsWith("commander.")) {
      // A provider may echo a key inside an error from anywhere: token-shaped strings never reach the terminal.
      const message = redactSecrets(error instanceof Error ? error.message : String(error));
      io.err(`personax: ${message}`);
      if (debug && error instanceof Error && error.stack) io.err(error.stack);
      else if (!(error instanceof PersonaxError)) io.err("(run with --debug for the stack trace)");
    }
    return exitCodeFor(error);
  }
}

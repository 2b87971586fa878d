import { makeProgram } from "./program.ts";
import type { CliIo } from "./io.ts";
import { exitCodeFor, PersonaxError } from "../errors.ts";

/**
 * Runs `personax` with user arguments (without "node personax") and returns the exit code:
 * 0 ok, 1 failure, 2 bad input or usage. Errors are printed to io.err; stacks only with --debug.
 */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const debug = args.includes("--debug");
  try {
    const program = await makeProgram(io, args);
    await program.exitOverride().parseAsync(args, { from: "user" });
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (code === "commander.helpDisplayed" || code === "commander.version" || code === "commander.help") return 0;
    if (!code.startsWith("commander.")) {
      const message = error instanceof Error ? error.message : String(error);
      io.err(`personax: ${message}`);
      if (debug && error instanceof Error && error.stack) io.err(error.stack);
      else if (!(error instanceof PersonaxError)) io.err("(run with --debug for the stack trace)");
    }
    return exitCodeFor(error);
  }
}

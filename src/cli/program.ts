import { Command } from "commander";
import type { CliIo } from "./io.ts";
import { commandFactories } from "./commands/index.ts";

export const VERSION = "0.1.0";

/**
 * Builds a fresh `personax` program. Each command lives in src/cli/commands/ and is a thin wrapper over an
 * exported library function; tests build their own program with a recording io and exitOverride().
 */
export function makeProgram(io: CliIo): Command {
  const program = new Command("personax")
    .description("PersonaX: multimodal behavior-trait datasets, independence tests and causal representation learning")
    .version(VERSION)
    .option("--debug", "print stack traces on errors", false)
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, "")), writeErr: (s) => io.err(s.replace(/\n$/, "")) });
  for (const make of commandFactories) program.addCommand(make(io));
  routeOutput(program, io);
  return program;
}

/**
 * addCommand() does not copy the root's settings to sub-commands, so `personax <cmd> --help` would write to
 * the real stdout and exit the process. Every command throws instead (runCli maps it to an exit code) and
 * writes through io.
 */
function routeOutput(command: Command, io: CliIo): void {
  for (const sub of command.commands) {
    sub.exitOverride().configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, "")),
      writeErr: (s) => io.err(s.replace(/\n$/, "")),
    });
    routeOutput(sub, io);
  }
}

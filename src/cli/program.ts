import { Command } from "commander";
import { VERSION } from "../version.ts";
import type { CliIo } from "./io.ts";
import { commandEntries } from "./commands/index.ts";

/**
 * Builds a fresh `personax` program. Each command lives in src/cli/commands/ and is a thin wrapper over an
 * exported library function. Only the command named in `args` is loaded (with `args` omitted: every command);
 * the others are listed by name and summary, which is all `personax --help` needs.
 */
export async function makeProgram(io: CliIo, args?: readonly string[]): Promise<Command> {
  const program = new Command("personax")
    .description("PersonaX: multimodal behavior-trait datasets, independence tests and causal representation learning")
    .version(VERSION)
    .option("--debug", "print stack traces on errors", false)
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, "")), writeErr: (s) => io.err(s.replace(/\n$/, "")) });
  const wanted = args ? commandNameIn(args) : undefined;
  for (const entry of commandEntries) {
    const load = args === undefined || entry.name === wanted;
    const command = load ? (await entry.load())(io) : new Command(entry.name).allowUnknownOption();
    program.addCommand(command.summary(entry.summary));
  }
  routeOutput(program, io);
  return program;
}

/** The command a user's arguments run: the first operand, or the one after `help`. */
function commandNameIn(args: readonly string[]): string | undefined {
  const operands = args.filter((a) => !a.startsWith("-"));
  return operands[0] === "help" ? operands[1] : operands[0];
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

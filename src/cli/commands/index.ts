import type { Command } from "commander";
import type { CliIo } from "../io.ts";
import { demoCommand } from "./demo.ts";
import { synthCommand, importCommand, exportCommand, storeCommand } from "./dataset.ts";
import { traitsCommand } from "./traits.ts";
import { embedCommand } from "./embed.ts";
import { discoverCommand } from "./discover.ts";
import { level1Command } from "./level1.ts";
import { crlCommand } from "./crl.ts";
import { workerCommand } from "./worker.ts";
import { reportCommand } from "./report.ts";

/** Every top-level command. Adding a command means one file in this folder and one line here. */
export const commandFactories: Array<(io: CliIo) => Command> = [
  demoCommand,
  synthCommand, importCommand, exportCommand, storeCommand,
  traitsCommand,
  embedCommand,
  discoverCommand,
  level1Command,
  crlCommand,
  workerCommand,
  reportCommand,
];

import type { Command } from "commander";
import type { CliIo } from "../io.ts";

/**
 * Every top-level command: its name, the one line `personax --help` shows, and how to load it. A command's
 * module (and the library code it needs) loads only when that command runs or prints its help, so
 * `personax --version` and `personax <cmd> --help` stay fast. Adding a command: one file here and one line below.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<(io: CliIo) => Command>;
}

export const commandEntries: CommandEntry[] = [
  { name: "demo", summary: "generate synthetic PersonaX data, run every capability end to end and write an HTML report",
    load: async () => (await import("./demo.ts")).demoCommand },
  { name: "synth", summary: "synthetic PersonaX-like data with known ground truth",
    load: async () => (await import("./dataset.ts")).synthCommand },
  { name: "import", summary: "import a persons table (CelebPersona/AthlePersona layout, HF export folder, or store columns) into a store, atomically",
    load: async () => (await import("./dataset.ts")).importCommand },
  { name: "export", summary: "export a store: Hugging Face layout, released-layout CSV or Parquet, or one table",
    load: async () => (await import("./dataset.ts")).exportCommand },
  { name: "store", summary: "inspect a PersonaX store",
    load: async () => (await import("./dataset.ts")).storeCommand },
  { name: "traits", summary: "LLM-inferred Big Five traits: inference, aggregation, agreement",
    load: async () => (await import("./traits.ts")).traitsCommand },
  { name: "embed", summary: "face and text embeddings; the obfuscated release copy of a store",
    load: async () => (await import("./embed.ts")).embedCommand },
  { name: "discover", summary: "causal discovery on a table",
    load: async () => (await import("./discover.ts")).discoverCommand },
  { name: "level1", summary: "Level I: test every trait against every feature with several independence tests; write matrices, JSON, heatmaps and a summary",
    load: async () => (await import("./level1.ts")).level1Command },
  { name: "crl", summary: "Level II: causal representation learning (train, evaluate, synthetic benchmark cases)",
    load: async () => (await import("./crl.ts")).crlCommand },
  { name: "worker", summary: "run queued jobs (Level I cells, PC bootstrap replicates, CRL runs, LLM calls) from producers started with --queue; stops on Ctrl-C / SIGTERM after its active jobs",
    load: async () => (await import("./worker.ts")).workerCommand },
  { name: "report", summary: "one self-contained HTML report from output folders of level1, discover pc, crl train/eval, traits agreement, embed",
    load: async () => (await import("./report.ts")).reportCommand },
];

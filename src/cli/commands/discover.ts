import { Command } from "commander";
import { z } from "zod";
import { ciTestNames } from "../../citest/registry.ts";
import { FLAVOURS } from "../../dataset/schema.ts";
import { discoverPc } from "../../discovery/discover.ts";
import { parseEdgeRule, parseTiers } from "../../discovery/knowledge.ts";
import type { CliIo } from "../io.ts";
import { parseOptions, seedOption, splitList } from "../options.ts";
import { JobQueue } from "../../scale/producer.ts";
import { pcBootstrapOnQueue } from "../../scale/pc-bootstrap-queue.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

const PcOptions = z.object({
  data: z.string().min(1),
  cols: z.string().optional(),
  flavour: z.enum(FLAVOURS).optional(),
  test: z.enum(ciTestNames as [string, ...string[]]),
  alpha: z.coerce.number().gt(0).lt(1),
  forbid: z.array(z.string()),
  require: z.array(z.string()),
  tiers: z.string().optional(),
  forbidWithinTier: z.boolean(),
  faithful: z.boolean(),
  depth: z.coerce.number().int().min(-1).optional(),
  ucRule: z.coerce.number().int().min(0).max(2),
  ucPriority: z.coerce.number().int().min(-1).max(4),
  bootstrap: z.coerce.number().int().min(0).max(10000),
  seed: seedOption,
  threads: z.coerce.number().int().min(1).max(64),
  queue: z.string().min(1).optional(),
  out: z.string().min(1),
  json: z.boolean(),
});

const pcCommand = (io: CliIo) =>
  new Command("pc")
    .description("PC-stable (causal-learn 0.1.4.7 semantics) with background knowledge; writes graph.json, graph.dot/svg/png and a summary")
    .requiredOption("--data <path>", "CSV, Parquet or PersonaX store (.duckdb)")
    .option("--cols <names>", "comma-separated columns (default: every numeric column)")
    .option("--flavour <name>", "celeb or athle: which dataset of a store that holds both")
    .option("--test <name>", `CI test: ${ciTestNames.join(", ")}`, "fisherz")
    .option("--alpha <level>", "significance level", "0.05")
    .option("--forbid <a->b>", "forbidden directed edge (repeatable)", collect, [])
    .option("--require <a->b>", "required directed edge (repeatable)", collect, [])
    .option("--tiers <a,b;c,d>", "temporal tiers, earliest first; later tiers cannot cause earlier ones")
    .option("--forbid-within-tier", "also forbid edges inside a tier (causal-learn's rule)", false)
    .option("--faithful", "reproduce causal-learn 0.1.4.7 exactly: test banned/required pairs, Fisher-z p = 2(1 − Φ(|z|)) (0 beyond |z| ≈ 8.3), its incomplete ancestor check in Meek (see docs/PC.md)", false)
    .option("--depth <k>", "largest conditioning-set size (-1 = unlimited)")
    .option("--uc-rule <r>", "collider rule: 0 sepsets, 1 maxP, 2 definite maxP", "0")
    .option("--uc-priority <p>", "collider conflict priority: 0 overwrite, 1 bi-directed, 2 keep existing, 3 stronger first, 4 stronger* first; -1 = causal-learn's default for the rule (3 for rules 0 and 1, 4 for rule 2)", "2")
    .option("--bootstrap <B>", "bootstrap replicates for edge stability (0 = none)", "0")
    .option("--seed <n>", "random seed for the bootstrap", "0")
    .option("--threads <n>", "worker threads for the CI tests", "1")
    .option("--queue <url>", "run the bootstrap replicates on queue workers ('personax worker') through this Redis")
    .requiredOption("--out <dir>", "output folder")
    .option("--json", "print the summary as JSON", false)
    .action(async (raw) => {
      const o = parseOptions(PcOptions, raw, "discover pc");
      const progress = io.progress({ label: "discover pc", total: 0 });
      const queue = o.queue ? await JobQueue.open({ redisUrl: o.queue, onEvent: (m) => io.err(m) }) : undefined;
      const summary = await discoverPc({
        data: o.data, columns: splitList(o.cols), flavour: o.flavour, test: o.test, alpha: o.alpha,
        depth: o.depth === undefined || o.depth < 0 ? undefined : o.depth,
        knowledge: o.forbid.length || o.require.length || o.tiers
          ? { forbid: o.forbid.map(parseEdgeRule), require: o.require.map(parseEdgeRule), tiers: o.tiers ? parseTiers(o.tiers) : undefined, forbidWithinTier: o.forbidWithinTier }
          : undefined,
        ucRule: o.ucRule as 0 | 1 | 2, ucPriority: o.ucPriority as -1 | 0 | 1 | 2 | 3 | 4,
        faithful: o.faithful, bootstrap: o.bootstrap, seed: o.seed, threads: o.threads, out: o.out, onProgress: progress.callback,
        runReplicates: queue && pcBootstrapOnQueue(queue),
      }).finally(() => queue?.close());
      progress.finish();
      if (o.json) io.out(JSON.stringify(summary, null, 2));
      else {
        io.out(`PC on ${summary.rowsUsed} rows (${summary.rowsDropped} dropped), ${summary.uniqueTests} tests, ${summary.seconds.toFixed(2)} s`);
        io.out(summary.edges.map((e) => `  ${e}`).join("\n") || "  (no edges)");
        io.out(`wrote ${summary.files.map((f) => `${summary.out}/${f}`).join(", ")}`);
      }
    });

export const discoverCommand = (io: CliIo) =>
  new Command("discover").description("causal discovery on a table").addCommand(pcCommand(io));

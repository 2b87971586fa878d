/**
 * One PC run as its own process, for `npm run bench -- pc-peer` (whole-process timing): reads a CSV,
 * runs PC with the case's settings and prints the graph in causal-learn's encoding as JSON.
 * Usage: pc-peer-run.ts <csv> <test> <ucRule> <ucPriority> <depth|none> [--default]
 * (--faithful is the default here, so the graph can be compared with causal-learn's.)
 */
import { readNumericCsv } from "./pc-peer-csv.ts";
import { runPc } from "../src/discovery/run-pc.ts";

const [csv, test, ucRule, ucPriority, depth] = process.argv.slice(2);
const { names, data } = readNumericCsv(csv!);
const result = runPc(data, {
  test: test!, nodeNames: names, ucRule: Number(ucRule) as 0 | 1 | 2, ucPriority: Number(ucPriority) as -1,
  depth: depth === "none" ? undefined : Number(depth), faithful: !process.argv.includes("--default"), recordTests: false,
});
process.stdout.write(JSON.stringify({ graph: result.graph.toCausalLearn(), tests: result.uniqueTests, pc_seconds: result.seconds }) + "\n");

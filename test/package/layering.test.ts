/**
 * Issue 15, must-show 4: the library does not depend on the CLI. Importing `personax` (src/index.ts) loads
 * neither commander nor any module of src/cli/, and no module outside src/cli/ and src/demo/ imports from cli/.
 * Also the structure behind must-show 2 (start-up time; timed by `npm run bench -- cli-start`): `level1 --help`
 * loads no library module.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { repoRoot } from "../../scripts/pack-install.ts";
import { ciTestNames } from "../../src/citest/names.ts";
import { ciTests } from "../../src/citest/registry.ts";

const src = join(repoRoot, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

/** Relative imports a module loads when it is imported: static, value (not `import type`/`export type`) imports. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*["']([^"']+)["']/gms)) {
    if (m[2]) continue;
    const clause = m[3]!.replace(/\s+/g, " ");
    // `import { type A, type B } from` loads nothing either.
    if (/^\{[^}]*\}$/.test(clause) && clause.slice(1, -1).split(",").every((part) => /^\s*(type\s+\S.*)?\s*$/.test(part))) continue;
    found.push(m[4]!);
  }
  for (const m of text.matchAll(/^\s*import\s+["']([^"']+)["']/gm)) found.push(m[1]!);
  return found;
}

function importsFrom(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.[^"']+)["']/g)].map((m) => resolve(dirname(file), m[1]!));
}

test("no module outside src/cli/ and src/demo/ imports from src/cli/", () => {
  const offenders = sourceFiles(src)
    .filter((file) => !/^(cli|demo)\//.test(relative(src, file)))
    .flatMap((file) => importsFrom(file).filter((target) => relative(src, target).startsWith("cli/")).map((target) => `${relative(src, file)} → ${relative(src, target)}`));
  assert.deepEqual(offenders, []);
});

/** The modules and packages `entry` loads through static value imports, transitively (dynamic import() is not followed). */
function staticClosure(entry: string): { modules: string[]; packages: Set<string> } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec));
      else if (!spec.startsWith("node:")) packages.add(spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/"));
    }
  };
  visit(entry);
  return { modules: [...seen].map((f) => relative(src, f)), packages };
}

test("the modules src/index.ts loads (static value imports, transitively) include nothing from src/cli/ and not commander", () => {
  const { modules, packages } = staticClosure(join(src, "index.ts"));
  assert.ok(modules.length > 50, `walked ${modules.length} modules`);
  assert.deepEqual(modules.filter((f) => f.startsWith("cli/")), []);
  assert.ok(!packages.has("commander"), `packages loaded: ${[...packages].join(", ")}`);
  assert.ok(packages.has("zod"), "the walk sees package imports");
});

test("`personax level1 --help` loads the CLI shell, commander and the level1 command only: no zod, no CI test, no linear algebra (issue 15, must-show 2)", () => {
  // main.ts loads the command table; the table imports each command with import() when it is named.
  const shell = staticClosure(join(src, "cli", "main.ts"));
  const level1 = staticClosure(join(src, "cli", "commands", "level1.ts"));
  const modules = new Set([...shell.modules, ...level1.modules]);
  const packages = new Set([...shell.packages, ...level1.packages]);
  assert.ok(modules.has("cli/commands/index.ts") && modules.has("citest/names.ts"), `walked ${[...modules].join(", ")}`);
  assert.deepEqual([...packages], ["commander"]);
  assert.deepEqual([...modules].filter((f) => /^(citest\/(?!names)|linalg\/|stats\/|dataset\/|nn\/)/.test(f)), []);
});

test("ciTestNames (citest/names.ts, light enough for --help) lists the registry's tests in its order", () => {
  assert.deepEqual(ciTestNames, Object.keys(ciTests));
});

test("importing the library at run time does not load commander; importing the CLI program does", () => {
  const probe = (module: string) => {
    const script = `await import(${JSON.stringify(module)});
      const { createRequire } = await import("node:module");
      const loaded = Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes("/node_modules/commander/"));
      console.log(loaded ? "commander" : "none");`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, PERSONAX_NATIVE: "0" } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  assert.equal(probe(join(src, "index.ts")), "none");
  assert.equal(probe(join(src, "cli", "program.ts")), "commander", "the probe can see commander when it is loaded");
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.ts";
import { recordingIo } from "../../src/cli/io.ts";

test("personax --help lists the commands and exits 0", async () => {
  const io = recordingIo();
  assert.equal(await runCli(["--help"], io), 0);
  assert.match(io.stdout.join("\n"), /demo/);
});

test("personax with a bad option value exits 2 and names the option", async () => {
  const io = recordingIo();
  assert.equal(await runCli(["demo", "--seed", "abc"], io), 2);
  assert.match(io.stderr.join("\n"), /--seed/);
});

test("personax with an unknown command exits 2", async () => {
  const io = recordingIo();
  assert.equal(await runCli(["no-such-command"], io), 2);
});

test("personax demo --only overview writes a self-contained report and prints its path", async () => {
  const dir = await mkdtemp(join(tmpdir(), "personax-demo-"));
  const io = recordingIo();
  assert.equal(await runCli(["demo", "--quick", "--only", "overview", "--dir", dir], io), 0);
  assert.match(io.stdout.join("\n"), /report\.html/);
  const html = await readFile(join(dir, "report.html"), "utf8");
  assert.match(html, /<h2>Overview<\/h2>/);
  assert.doesNotMatch(html, /<script src=|<link rel="stylesheet"/);
});

test("personax <command> [<sub-command>] --help prints through io and exits 0 for every command", async () => {
  const { makeProgram } = await import("../../src/cli/program.ts");
  const paths: string[][] = [];
  const walk = (cmd: import("commander").Command, prefix: string[]) => {
    for (const sub of cmd.commands) {
      paths.push([...prefix, sub.name()]);
      walk(sub, [...prefix, sub.name()]);
    }
  };
  walk(await makeProgram(recordingIo()), []);
  assert.ok(paths.length >= 5);
  for (const path of paths) {
    const io = recordingIo();
    assert.equal(await runCli([...path, "--help"], io), 0, path.join(" "));
    assert.match(io.stdout.join("\n"), /Usage: /, path.join(" "));
  }
});

test("every command's one-line summary in src/cli/commands/index.ts is the command's own description", async () => {
  const { commandEntries } = await import("../../src/cli/commands/index.ts");
  for (const entry of commandEntries) {
    const command = (await entry.load())(recordingIo());
    assert.equal(command.name(), entry.name);
    assert.equal(entry.summary, command.description(), entry.name);
  }
});

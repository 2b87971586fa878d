// Runs every test/**/*.test.ts with node's test runner through tsx (Node 20's --test takes no globs).
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "fixtures" ? [] : collect(path);
    return name.endsWith(".test.ts") ? [path] : [];
  });
}
const only = process.argv.slice(2);
const files = (only.length ? only : collect(join(root, "test"))).map((f) => relative(root, f)).sort();
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...files], {
  cwd: root, stdio: "inherit", env: process.env,
});
process.exit(result.status ?? 1);

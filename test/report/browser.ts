/// <reference lib="dom" />
/**
 * Opens report pages in Debian's Chromium (driven by playwright-core, no browser download) and measures
 * what a reader sees at 1,280 px: console errors, failed resource loads, horizontal page overflow, figures of
 * zero size, and the smallest rendered SVG text (font size × the element's screen transform).
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env["PERSONAX_CHROMIUM"] ?? "/usr/bin/chromium";

export interface PageCheck {
  consoleErrors: string[];
  failedRequests: string[];
  /** document width − viewport width (px); > 0 means the page scrolls sideways. */
  overflow: number;
  figures: number;
  emptyFigures: string[];
  svgTexts: number;
  /** The smallest rendered SVG text (px) and which text it is. */
  smallestText: { px: number; text: string; figure: string } | null;
  sectionIds: string[];
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run 'bash scripts/setup-system.sh' (installs Debian's chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
}

/** Loads `file` at 1,280 × 900, runs the checks, and saves a full-page screenshot to `screenshot` when given. */
export async function checkReportPage(browser: Browser, file: string, screenshot?: string): Promise<PageCheck> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(180_000);
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  page.on("requestfailed", (r) => failedRequests.push(`${r.url()}: ${r.failure()?.errorText ?? "failed"}`));
  page.on("response", (r) => { if (r.status() >= 400) failedRequests.push(`${r.url()}: HTTP ${r.status()}`); });
  await page.goto(`file://${file}`, { waitUntil: "load" });
  const measured = await page.evaluate(() => {
    const figures = Array.from(document.querySelectorAll("figure"));
    const emptyFigures = figures.filter((f) => {
      const body = f.querySelector("svg, img");
      const r = body?.getBoundingClientRect();
      return !r || r.width < 1 || r.height < 1;
    }).map((f) => f.querySelector("figcaption")?.textContent ?? "(no caption)");
    let smallest: { px: number; text: string; figure: string } | null = null;
    const texts = Array.from(document.querySelectorAll("svg text")) as SVGTextElement[];
    for (const t of texts) {
      if (!t.textContent?.trim()) continue;
      const ctm = t.getScreenCTM();
      if (!ctm) continue;
      // Rendered size = CSS font size in user units × the scale of the user→screen transform (rotation-proof).
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(ctm.a, ctm.b);
      if (!smallest || px < smallest.px) smallest = { px, text: t.textContent.trim().slice(0, 60), figure: t.closest("figure")?.querySelector("figcaption")?.textContent?.slice(0, 80) ?? "" };
    }
    return {
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      figures: figures.length,
      emptyFigures,
      svgTexts: texts.length,
      smallestText: smallest,
      sectionIds: Array.from(document.querySelectorAll("section")).map((s) => s.id),
    };
  });
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { consoleErrors, failedRequests, ...measured };
}

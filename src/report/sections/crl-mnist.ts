/**
 * Report section for a `personax crl bench-mnist --out` folder (one method, one seed of the paper's
 * variant-MNIST experiment): the scores beside the paper's row for the method, sample rows of the four
 * measurements, and, for the CRL methods, one traversal grid per learned latent.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { escapeHtml, htmlTable, keyValueTable } from "../html.ts";
import type { MnistResultJson } from "../../crl/baselines/run.ts";
import type { RunSection } from "./types.ts";

/** A PNG of the folder inlined, so the page stays one self-contained file. */
async function pngFigure(dir: string, file: string, caption: string): Promise<string> {
  const data = await readFile(join(dir, file));
  return `<figure><img src="data:image/png;base64,${data.toString("base64")}" alt="${escapeHtml(caption)}" style="image-rendering: pixelated; max-width: 100%">` +
    `<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

export const crlMnistRunSection: RunSection = {
  kind: "crl-mnist",
  title: (run) => `Variant MNIST: ${String(run.manifest.params["method"] ?? "?")}, seed ${String(run.manifest.params["seed"] ?? "?")}`,
  async render(run) {
    const r = await run.readJson<MnistResultJson>("result.json");
    if (!r) return `<p class="bad">No result.json in this folder.</p>`;
    const files = run.manifest.files;
    const parts = [
      `<p>${escapeHtml(r.title ?? r.method)}: ${r.n.toLocaleString("en")} rows, ${r.epochs} epochs (${r.secondsPerEpoch.toFixed(2)} s per epoch).</p>`,
      htmlTable(["", "MCC", "R² in-sample", "R² held-out"], [
        ["this run", r.mcc, r.r2, r.r2HeldOut],
        ...(r.paper ? [["the paper (mean of its runs)", r.paper.mcc, r.paper.r2, "not reported"]] : []),
      ], 3),
      `<p>One run is one draw: compare methods over seeds with <code>npm run bench -- mnist</code>.</p>`,
    ];
    if (files.includes("samples.png")) {
      parts.push(await pngFigure(run.dir, "samples.png", "Evaluation rows: the digit in red, green and blue (modality 1, three measurements) and the Fashion-MNIST item (modality 2)"));
    }
    const traversals = files.filter((f) => /^traversal-.+\.png$/.test(f)).sort();
    if (traversals.length) {
      parts.push(`<p>Latent traversals: each grid decodes while one learned latent moves from its 5th to its 95th percentile (columns), the others held at their medians; a row per measurement of the latent's modality.</p>`);
      for (const file of traversals) parts.push(await pngFigure(run.dir, file, `traversal of ${file.slice("traversal-".length, -".png".length)}`));
    }
    return parts.join("\n") + keyValueTable([["seed", r.seed]], 0);
  },
};

/** Report section for a `personax embed faces|text --out` folder: what was embedded (summary.json). */
import { escapeHtml, htmlTable, keyValueTable } from "../html.ts";
import type { RunSection } from "./types.ts";

export const embedRunSection: RunSection = {
  kind: "embed",
  title: (run) => `Embeddings: ${String(run.manifest.params["kind"] ?? "")} (${run.show(String(run.manifest.params["store"] ?? ""))})`,
  async render(run) {
    const summary = await run.readJson<Record<string, unknown>>("summary.json");
    if (!summary) return `<p class="bad">No summary.json in this folder.</p>`;
    const simple = Object.entries(summary).filter(([, v]) => v === null || ["string", "number", "boolean"].includes(typeof v) || (Array.isArray(v) && v.every((x) => typeof x !== "object")));
    const failures = Array.isArray(summary["failures"]) ? (summary["failures"] as Array<{ path?: string; message?: string }>) : [];
    return keyValueTable(simple.map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v as string | number | boolean | null)])) +
      (failures.length ? `<p>Skipped inputs:</p>` + htmlTable(["input", "reason"], failures.map((f) => [run.show(f.path ?? ""), f.message ?? ""])) : "") +
      `<p class="note">The vectors are in the store's <code>embeddings</code> table (${escapeHtml(run.show(String(run.manifest.params["store"] ?? "")))}).</p>`;
  },
};

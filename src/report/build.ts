/**
 * `personax report`: one self-contained HTML page from any mix of output folders (level1, discover pc,
 * crl train/eval, traits agreement, embed). Each folder's run manifest says what made it; the section
 * registered for that kind (sections/index.ts) draws it, and every section starts with the run's details
 * (command, parameters, seed, versions, date, duration, files). The demo builds its report here too.
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.ts";
import { escapeHtml, formatNumber, humanDate, keyValueTable, renderReport, type ReportSection } from "./html.ts";
import { readManifest, type RunManifest } from "./manifest.ts";
import { runSections } from "./sections/index.ts";
import type { RunContext } from "./sections/types.ts";

/** A piece of a report: ready HTML, or an output folder to render by its manifest. */
export type ReportItem = ReportSection | { run: string };

export interface AssembleOptions {
  /** Where the HTML goes; shown paths are relative to its folder. */
  out: string;
  title: string;
  subtitle?: string;
  generatedAt?: Date;
}

export interface BuiltReport {
  path: string;
  sections: Array<{ id: string; title: string; kind?: string; dir?: string }>;
}

/** Renders each item (run folders through their registered section) and writes the page. */
export async function assembleReport(items: ReportItem[], options: AssembleOptions): Promise<BuiltReport> {
  const out = resolve(options.out);
  const reportDir = dirname(out);
  const show = (path: string) => {
    const rel = relative(reportDir, resolve(path)) || ".";
    return rel.startsWith("..") || isAbsolute(rel) ? rel.split(sep).join("/") : `./${rel.split(sep).join("/")}`;
  };
  const sections: ReportSection[] = [];
  const listed: BuiltReport["sections"] = [];
  const used = new Set<string>();
  const uniqueId = (base: string) => {
    let id = base.replace(/[^a-z0-9-]+/gi, "-").toLowerCase();
    for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
    used.add(id);
    return id;
  };
  for (const item of items) {
    if (!("run" in item)) {
      const id = uniqueId(item.id);
      sections.push({ ...item, id });
      listed.push({ id, title: item.title });
      continue;
    }
    const dir = resolve(item.run);
    const manifest = await readManifest(dir);
    const renderer = runSections.find((s) => s.kind === manifest.kind);
    if (!renderer) {
      throw new UsageError(`${show(dir)} was made by a "${manifest.kind}" run, which the report cannot draw`,
        `known kinds: ${runSections.map((s) => s.kind).join(", ")}`);
    }
    const ctx: RunContext = {
      dir, manifest, show,
      async readJson<T>(name: string) {
        try {
          return JSON.parse(await readFile(join(dir, name), "utf8")) as T;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
          throw error;
        }
      },
    };
    const title = renderer.title(ctx);
    const id = uniqueId(`${manifest.kind}`);
    const html = runDetails(ctx) + (await renderer.render(ctx));
    sections.push({ id, title, html });
    listed.push({ id, title, kind: manifest.kind, dir });
  }
  await mkdir(reportDir, { recursive: true });
  await writeFile(out, renderReport({ title: options.title, subtitle: options.subtitle, sections, generatedAt: options.generatedAt }));
  return { path: out, sections: listed };
}

export interface BuildReportOptions {
  /** Output folders of PersonaX commands, in the order the report shows them. */
  from: string[];
  out: string;
  title?: string;
}

/** The library function behind `personax report`. */
export async function buildReport(options: BuildReportOptions): Promise<BuiltReport> {
  if (!options.from.length) throw new UsageError("no run folder given", "pass --from DIR once per output folder");
  return assembleReport(options.from.map((run) => ({ run })), { out: options.out, title: options.title ?? "PersonaX report", subtitle: `${options.from.length} run folder(s)` });
}

/** The run's details: command, when, how long, seed, versions, parameters, files. */
function runDetails(run: RunContext): string {
  const m: RunManifest = run.manifest;
  const params = Object.entries(m.params).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0));
  const timings = Object.entries(m.timings).filter(([, v]) => typeof v === "number");
  const files = m.files.filter((f) => !f.includes("checkpoint"));
  return keyValueTable([
    ["command", { html: `<code>${escapeHtml(m.command)}</code>` }],
    ["folder", { html: `<a href="${escapeHtml(run.show(run.dir))}/"><code>${escapeHtml(run.show(run.dir))}</code></a>` }],
    ["finished", `${humanDate(new Date(m.finishedAt))} (took ${formatSeconds(m.seconds)})`],
    ...(m.seed !== null ? [["seed", m.seed] as [string, number]] : []),
    ["versions", `PersonaX ${m.version.personax}, Node.js ${m.version.node}`],
    ...(timings.length ? [["timings", timings.map(([k, v]) => `${k} ${formatSeconds(v as number)}`).join(", ")] as [string, string]] : []),
  ]) + (params.length ? `<details open><summary>Parameters (${params.length})</summary>${keyValueTable(params.map(([k, v]) => [k, { html: `<code>${escapeHtml(showParam(v, run))}</code>` }]))}</details>` : "")
    + (files.length ? `<details><summary>Files (${files.length})</summary><p class="note">${files.map((f) => `<a href="${escapeHtml(run.show(join(run.dir, f)))}">${escapeHtml(f)}</a>`).join(", ")}</p></details>` : "");
}

/** A parameter value as text; absolute paths become relative to the report. */
function showParam(value: unknown, run: RunContext): string {
  if (typeof value === "string") return isAbsolute(value) ? run.show(value) : value;
  if (typeof value === "number") return formatNumber(value);
  const text = JSON.stringify(value, (_, v) => (typeof v === "string" && isAbsolute(v) ? run.show(v) : v)).replace(/,"/g, ', "').replace(/":/g, '": ');
  return text.length > 400 ? `${text.slice(0, 400)} …` : text;
}

function formatSeconds(s: number): string {
  return s < 1 ? `${(s * 1000).toFixed(0)} ms` : s < 120 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

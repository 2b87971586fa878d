/**
 * Writes a column table (names + Float64Array / string columns) as CSV without building it in memory:
 * rows go out in blocks through a write stream. NaN is written as an empty field (the PersonaX and pandas
 * convention); numbers use JavaScript's shortest round-trip form, so reading them back gives the same doubles.
 */
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { once } from "node:events";
import type { ProgressCallback } from "../util/progress.ts";
import type { Table } from "./read-table.ts";
import { csvField as field } from "./csv.ts";

/** The column table readTable returns (names, Float64Array / string columns, row count). */
export type ColumnTable = Table;


export async function writeTableCsv(table: ColumnTable, file: string, onProgress?: ProgressCallback): Promise<string> {
  const out = resolve(file);
  await mkdir(dirname(out), { recursive: true });
  const stream = createWriteStream(out);
  const columns = table.names.map((name) => table.columns[name]!);
  const write = async (text: string) => { if (!stream.write(text)) await once(stream, "drain"); };
  await write(table.names.map((n) => field(n)).join(",") + "\n");
  const BLOCK = 10_000;
  for (let start = 0; start < table.nRows; start += BLOCK) {
    const end = Math.min(table.nRows, start + BLOCK);
    let text = "";
    for (let i = start; i < end; i++) {
      let line = "";
      for (let j = 0; j < columns.length; j++) {
        const v = columns[j]![i]!;
        if (j) line += ",";
        line += typeof v === "number" ? (Number.isNaN(v) ? "" : String(v)) : field(v);
      }
      text += line + "\n";
    }
    await write(text);
    onProgress?.(end, table.nRows, "rows written");
  }
  stream.end();
  await once(stream, "finish");
  return out;
}

/**
 * The one CSV reader and field writer of PersonaX (RFC 4180: quoted fields, "" escapes, CRLF or LF, a header
 * row). Every problem is a DataError naming the file, the row as in the file (header = row 1), the column
 * when there is one, and the fix: ragged rows, a semicolon- or tab-delimited file read as CSV, duplicate or
 * empty header names, invalid UTF-8. The streaming import reads CSV with DuckDB for speed and memory; it
 * checks the header here first and, when DuckDB fails, asks `findCsvProblem` what the real problem is.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { extname } from "node:path";
import { DataError } from "../errors.ts";

export interface CsvRecords {
  /** Records in file order, the header first. */
  records: string[][];
  /** The 1-based line of the file on which each record starts. */
  lines: number[];
}

/** The delimiter of a file by its extension: tab for .tsv, comma otherwise. */
export function csvDelimiterFor(file: string): string {
  return extname(file).toLowerCase() === ".tsv" ? "\t" : ",";
}

/** Splits CSV text into records (blank lines skipped). No checks: see parseCsv. */
export function parseCsvRecords(text: string, delimiter = ","): CsvRecords {
  const records: string[][] = [], lines: number[] = [];
  let row: string[] = [], field = "", quoted = false, line = 1, start = 1;
  const end = () => {
    row.push(field); field = "";
    if (row.length > 1 || row[0] !== "") { records.push(row); lines.push(start); }
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === delimiter) { row.push(field); field = ""; }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      end();
      line++;
      start = line;
    } else field += ch;
  }
  if (field !== "" || row.length) end();
  return { records, lines };
}

export interface ParsedCsv {
  header: string[];
  rows: string[][];
  /** The 1-based line in the file of each data row. */
  lines: number[];
}

/** Parses CSV text with a header row; every row must have one field per header name. */
export function parseCsv(text: string, file: string, delimiter = csvDelimiterFor(file)): ParsedCsv {
  const { records, lines } = parseCsvRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, delimiter);
  if (!records.length) throw new DataError(file, 1, undefined, "the file is empty", "write a header row and at least one data row");
  const header = records[0]!.map((h) => h.trim());
  checkCsvHeader(header, file, delimiter);
  for (let r = 1; r < records.length; r++) {
    if (records[r]!.length !== header.length) throw raggedRow(file, lines[r]!, records[r]!.length, header.length, delimiter);
  }
  return { header, rows: records.slice(1), lines: lines.slice(1) };
}

/** Reads and parses a CSV file (UTF-8; an invalid byte is an error naming its row and column). */
export async function readCsvFile(file: string, delimiter = csvDelimiterFor(file)): Promise<ParsedCsv> {
  const bytes = await readFile(file);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const where = locateInvalidUtf8(file, delimiter);
    throw notUtf8(file, where?.row ?? 0, where?.column);
  }
  return parseCsv(text, file, delimiter);
}

/** The header record of a CSV file, read from its first bytes only. */
export async function readCsvHeader(file: string, delimiter = csvDelimiterFor(file)): Promise<string[]> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(1 << 20);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = new TextDecoder("utf-8").decode(buffer.subarray(0, bytesRead));
    return (parseCsvRecords(text.replace(/^\uFEFF/, ""), delimiter).records[0] ?? []).map((h) => h.trim());
  } finally {
    await handle.close();
  }
}

/**
 * Header problems that a CSV reader would otherwise hide or misreport: another delimiter than the one
 * expected (one column whose name holds semicolons or tabs), empty names, and names used twice (DuckDB
 * renames the second to "name_1").
 */
export function checkCsvHeader(header: string[], file: string, delimiter = ","): void {
  if (header.length === 1) {
    for (const [other, name, example] of [[";", "semicolons", "sed 's/;/,/g'"], ["\t", "tabs", "rename it to .tsv"], ["|", "'|' characters", "sed 's/|/,/g'"]] as const) {
      if (other !== delimiter && header[0]!.includes(other)) {
        throw new DataError(file, 1, undefined, `the header is one column with ${name} in it: the file is ${other === "\t" ? "tab" : `"${other}"`}-separated, not ${delimiter === "\t" ? "tab" : "comma"}-separated`,
          `save it with commas between fields (e.g. ${example}${other === ";" ? ", after turning decimal commas into points" : ""})`);
      }
    }
  }
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === "") throw new DataError(file, 1, undefined, `header field ${i + 1} is empty`, "give every column a name (or delete the empty column)");
    const first = seen.get(name);
    if (first !== undefined) {
      throw new DataError(file, 1, name, `the header names this column twice (fields ${first + 1} and ${i + 1})`, "rename or delete one of the two columns");
    }
    seen.set(name, i);
  });
}

export interface CsvProblem { row: number; column?: string; problem: string; fix: string }

/**
 * Scans a CSV file for the first structural problem: invalid UTF-8, or a row whose field count differs
 * from the header's (quotes respected). Streams the file; used on the error path of the streaming import.
 */
export async function findCsvProblem(file: string, delimiter = csvDelimiterFor(file)): Promise<CsvProblem | undefined> {
  const badUtf8 = locateInvalidUtf8(file, delimiter);
  const handle = await open(file, "r");
  try {
    const decoder = new TextDecoder("utf-8");
    const buffer = Buffer.alloc(1 << 20);
    let quoted = false, fields = 1, line = 1, start = 1, headerFields = -1, fieldChars = 0, pendingQuote = false;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      const text = decoder.decode(buffer.subarray(0, bytesRead), { stream: bytesRead > 0 });
      for (let i = 0; i < text.length; i++) {
        const ch = text[i]!;
        if (pendingQuote) { // the previous character was a quote inside a quoted field
          pendingQuote = false;
          if (ch === '"') { fieldChars++; continue; }
          quoted = false;
        }
        if (quoted) {
          if (ch === '"') pendingQuote = true;
          else if (ch === "\n") line++;
          continue;
        }
        if (ch === '"' && fieldChars === 0) { quoted = true; fieldChars++; continue; }
        if (ch === delimiter) { fields++; fieldChars = 0; continue; }
        if (ch === "\r") continue;
        if (ch === "\n") {
          if (fields > 1 || fieldChars > 0) {
            if (badUtf8 && badUtf8.row <= start) return utf8Problem(badUtf8);
            if (headerFields < 0) headerFields = fields;
            else if (fields !== headerFields) return raggedProblem(start, fields, headerFields, delimiter);
          }
          line++; start = line; fields = 1; fieldChars = 0;
          continue;
        }
        fieldChars++;
      }
      if (bytesRead === 0) break;
    }
    if ((fields > 1 || fieldChars > 0) && headerFields >= 0 && fields !== headerFields && !(badUtf8 && badUtf8.row <= start)) {
      return raggedProblem(start, fields, headerFields, delimiter);
    }
    if (quoted && !pendingQuote) return { row: start, problem: "a quoted field is never closed (an odd number of '\"')", fix: "close the quote, or write a literal quote as \"\"" };
    return badUtf8 ? utf8Problem(badUtf8) : undefined;
  } finally {
    await handle.close();
  }
}

function raggedProblem(row: number, found: number, expected: number, delimiter: string): CsvProblem {
  const e = raggedRow("", row, found, expected, delimiter);
  return { row, problem: e.problem, fix: /fix: (.*)$/s.exec(e.message)![1]! };
}

function raggedRow(file: string, row: number, found: number, expected: number, delimiter: string): DataError {
  const name = delimiter === "\t" ? "tab" : `"${delimiter}"`;
  return new DataError(file, row, undefined, `this row has ${found} fields, the header has ${expected}`,
    found > expected
      ? `quote fields that contain a ${name} ("a${delimiter}b" → "\\"a${delimiter}b\\""), or remove the extra fields`
      : "fill in the missing fields (an empty field between two delimiters is a missing value)");
}

function utf8Problem(where: { row: number; column?: string }): CsvProblem {
  const e = notUtf8("", where.row, where.column);
  return { row: where.row, column: where.column, problem: e.problem, fix: /fix: (.*)$/s.exec(e.message)![1]! };
}

function notUtf8(file: string, row: number, column: string | undefined): DataError {
  return new DataError(file, row, column, "the file is not UTF-8 encoded (invalid byte sequence)",
    "re-save the file as UTF-8, e.g. iconv -f latin1 -t utf-8 in.csv > out.csv");
}

/** Finds the first invalid UTF-8 sequence: its 1-based line and the header column it falls in. Error path only. */
function locateInvalidUtf8(file: string, delimiter: string): { row: number; column?: string } | undefined {
  const fd = openSync(file, "r");
  try {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const chunk = Buffer.alloc(1 << 20);
    let line = 1, lineBytes: number[] = [], header: string[] | undefined;
    const check = (bytes: Uint8Array) => {
      try {
        const s = decoder.decode(bytes);
        header ??= parseCsvRecords(s, delimiter).records[0];
        return undefined;
      } catch {
        return { row: line, column: header ? columnOfBadByte(bytes, header, delimiter) : undefined };
      }
    };
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        const b = chunk[i]!;
        if (b !== 0x0a) { lineBytes.push(b); continue; }
        const found = check(Uint8Array.from(lineBytes));
        if (found) return found;
        line++;
        lineBytes = [];
      }
    }
    return lineBytes.length ? check(Uint8Array.from(lineBytes)) : undefined;
  } finally {
    closeSync(fd);
  }
}

function columnOfBadByte(bytes: Uint8Array, header: string[], delimiter: string): string | undefined {
  // Decode leniently: the first replacement character marks the bad bytes; delimiters before it count fields.
  const line = new TextDecoder("utf-8").decode(bytes);
  const bad = line.indexOf("\uFFFD");
  let field = 0, quoted = false;
  for (let i = 0; i < (bad < 0 ? line.length : bad); i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) field++;
  }
  return header[field];
}

/** One CSV field as written: quoted when it holds the delimiter, a quote or a line break. */
export function csvField(value: string, delimiter = ","): string {
  return value.includes(delimiter) || /["\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line (no line break) from already formatted values. */
export function csvLine(values: readonly string[], delimiter = ","): string {
  return values.map((v) => csvField(v, delimiter)).join(delimiter);
}

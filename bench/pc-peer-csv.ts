/** The bench's CSV reader for pc-peer-run.ts (its own module so the parse can be checked against Number()). */
import { readFileSync } from "node:fs";
import { matrix } from "../src/linalg/matrix.ts";

/** Exact powers of ten: m / 10^k with m < 2^53 and k ≤ 22 is one correctly rounded division, so equals Number(text). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The bench CSVs are plain numbers with a header (written by pc-peer.bench.ts); like np.loadtxt, no quoting.
 * Scanned as bytes (no string per line or field): plain decimals take the exact fast path above, anything
 * else (exponents, long mantissas) goes through Number().
 */
export function readNumericCsv(path: string) {
  const bytes = readFileSync(path);
  const headerEnd = bytes.indexOf(10);
  const names = bytes.toString("utf8", 0, headerEnd).replace(/\r$/, "").split(",");
  const width = names.length;
  let rows = 0;
  for (let i = headerEnd + 1; i < bytes.length; i++) if (bytes[i] === 10 && bytes[i - 1] !== 10) rows++;
  if (bytes.length > headerEnd + 1 && bytes[bytes.length - 1] !== 10) rows++;
  const data = matrix(rows, width);
  const out = data.data;
  let at = 0, line = 2;
  for (let i = headerEnd + 1; i < bytes.length;) {
    if (bytes[i] === 10) { i++; continue; } // blank line
    for (let c = 0; c < width; c++) {
      const start = i;
      let negative = false, mantissa = 0, digits = 0, fraction = -1, plain = true;
      if (bytes[i] === 45) { negative = true; i++; }
      for (; i < bytes.length; i++) {
        const b = bytes[i]!;
        if (b >= 48 && b <= 57) { mantissa = mantissa * 10 + (b - 48); digits++; if (fraction >= 0) fraction++; }
        else if (b === 46 && fraction < 0) fraction = 0;
        else if (b === 44 || b === 10 || b === 13) break;
        else plain = false;
      }
      const end = i;
      const value = plain && digits > 0 && digits <= 15 && fraction <= 22
        ? (negative ? -1 : 1) * (fraction > 0 ? mantissa / POW10[fraction]! : mantissa)
        : Number(bytes.toString("latin1", start, end));
      out[at++] = value;
      if (bytes[i] === 13) i++;
      const separator = bytes[i];
      if (c < width - 1 ? separator !== 44 : separator !== 10 && i < bytes.length) {
        throw new Error(`${path}:${line}: ${c < width - 1 ? `${c + 1} fields` : "more fields than the header"}, expected ${width}`);
      }
      i++;
    }
    line++;
  }
  return { names, data };
}

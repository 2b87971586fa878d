/**
 * The progress callback every long-running library function accepts as `onProgress`: `done` of `total`
 * units (rows, cells, epochs…), with an optional short note. The CLI connects it to a bar (src/cli/progress.ts).
 */
export type ProgressCallback = (done: number, total: number, note?: string) => void;

/** Seconds as a short human duration: 4.2s, 37s, 3m05s, 1h02m. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60), s = Math.round(seconds % 60);
  if (m < 60) return `${m}m${String(s).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

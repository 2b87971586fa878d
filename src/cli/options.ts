import { z } from "zod";
import { formatZodIssues, UsageError } from "../errors.ts";

/** Parses raw commander options with a zod schema; a failure names the option and the fix. */
export function parseOptions<T extends z.ZodType>(schema: T, raw: unknown, command: string): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const label = (path: ReadonlyArray<PropertyKey>) => (path.length ? `--${String(path[0]).replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}` : "options");
  throw new UsageError(`personax ${command}: ${formatZodIssues(result.error.issues, { label })}`, `see 'personax ${command} --help'`);
}

/** Splits "a,b,c" into trimmed, non-empty names. */
export function splitList(value: string | undefined): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

/** A `--seed` value: a non-negative safe integer. */
export const seedOption = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

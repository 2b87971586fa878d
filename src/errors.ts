/**
 * Errors with a stable `code`. The CLI maps codes to exit codes: E_DATA / E_USAGE / E_CONFIG → 2 (bad
 * input), everything else → 1. Messages say where the problem is and how to fix it.
 */
export class PersonaxError extends Error {
  constructor(readonly code: string, message: string, readonly fix?: string) {
    super(fix ? `${message}\n  fix: ${fix}` : message);
    this.name = new.target.name;
  }
}

/** A problem in an input file or table. `row` is 1-based as in the file (header = row 1); 0 = whole file. */
export class DataError extends PersonaxError {
  constructor(
    readonly file: string,
    readonly row: number,
    readonly column: string | undefined,
    readonly problem: string,
    fix?: string,
  ) {
    const where = [file, row > 0 ? `row ${row}` : undefined, column !== undefined ? `column "${column}"` : undefined]
      .filter(Boolean)
      .join(", ");
    super("E_DATA", `${where}: ${problem}`, fix);
  }
}

/** Wrong command-line usage or option values. */
export class UsageError extends PersonaxError {
  constructor(message: string, fix?: string) {
    super("E_USAGE", message, fix);
  }
}

/** A configuration file that does not parse or names something unknown. */
export class ConfigError extends PersonaxError {
  constructor(readonly file: string, message: string, fix?: string) {
    super("E_CONFIG", `${file}: ${message}`, fix);
  }
}

/** A computation that cannot proceed on these inputs (constant column, singular matrix, size limit…). */
export class ComputeError extends PersonaxError {
  constructor(message: string, fix?: string) {
    super("E_COMPUTE", message, fix);
  }
}

const badInputCodes = new Set(["E_DATA", "E_USAGE", "E_CONFIG"]);

/** 0 ok, 1 failure, 2 bad input or usage. */
export function exitCodeFor(error: unknown): 1 | 2 {
  if (error instanceof PersonaxError && badInputCodes.has(error.code)) return 2;
  if (error && typeof error === "object" && "code" in error) {
    const code = String((error as { code: unknown }).code);
    if (code.startsWith("commander.")) return 2;
  }
  return 1;
}

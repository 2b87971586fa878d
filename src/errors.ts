/**
 * Errors with a stable `code`. The CLI maps codes to exit codes: E_DATA / E_USAGE / E_CONFIG / E_DEGENERATE
 * → 2 (bad input), everything else → 1. Messages say where the problem is and how to fix it.
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
  constructor(message: string, fix?: string, code = "E_COMPUTE") {
    super(code, message, fix);
  }
}

/**
 * Data a computation cannot use (a constant column, too few complete rows, a singular correlation matrix):
 * the input is the problem, so it is a bad-input exit (2), not a failure of the program.
 */
export class DegenerateDataError extends ComputeError {
  constructor(message: string, fix?: string) {
    super(message, fix, "E_DEGENERATE");
  }
}

const badInputCodes = new Set(["E_DATA", "E_USAGE", "E_CONFIG", "E_DEGENERATE"]);

/** 0 ok, 1 failure, 2 bad input or usage. */
export function exitCodeFor(error: unknown): 1 | 2 {
  if (error instanceof PersonaxError && badInputCodes.has(error.code)) return 2;
  if (error && typeof error === "object" && "code" in error) {
    const code = String((error as { code: unknown }).code);
    if (code.startsWith("commander.")) return 2;
  }
  return 1;
}

/** The parts of a zod issue the formatter reads (zod v4 `$ZodIssue`, kept structural so errors.ts stays light). */
export interface ZodIssueLike {
  code: string;
  path: ReadonlyArray<PropertyKey>;
  message: string;
  keys?: readonly string[];
}

export interface FormatZodOptions {
  /** The schema that produced the issues: unknown keys are then answered with the nearest valid name. */
  schema?: unknown;
  /** How a path is named (default: `models[1].apiKeyEnv`, "(root)" for the top level). */
  label?: (path: ReadonlyArray<PropertyKey>) => string;
}

/**
 * The one formatter of zod issues for messages: "path: message; …". An unknown key (a strict object's
 * `unrecognized_keys`) names the key and, when the schema is given, the nearest valid name ("did you mean
 * \"epochs\"?") and the valid names.
 */
export function formatZodIssues(issues: readonly ZodIssueLike[], options: FormatZodOptions = {}): string {
  const label = options.label ?? dotPath;
  return issues.map((issue) => {
    if (issue.code === "unrecognized_keys" && issue.keys?.length) {
      const valid = options.schema ? knownKeys(options.schema, issue.path) : [];
      return issue.keys.map((key) => {
        const near = nearest(key, valid);
        const where = label([...issue.path, key]);
        return `${where}: unknown field${near ? ` (did you mean "${near}"?)` : ""}${valid.length ? `; valid fields here: ${valid.join(", ")}` : ""}`;
      }).join("; ");
    }
    return `${label(issue.path)}: ${issue.message}`;
  }).join("; ");
}

/** `models[1].apiKeyEnv`; "(root)" for an empty path. */
export function dotPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") || "(root)";
}

/** The keys an object schema accepts at `path` (through optional/default/pipe/union/array wrappers). */
function knownKeys(schema: unknown, path: ReadonlyArray<PropertyKey>): string[] {
  type Def = { type?: string; shape?: Record<string, unknown>; innerType?: unknown; in?: unknown; options?: unknown[]; element?: unknown; left?: unknown; right?: unknown; valueType?: unknown };
  const def = (s: unknown): Def => ((s as { _zod?: { def?: Def } })?._zod?.def ?? {});
  const objects = (s: unknown): Array<Record<string, unknown>> => {
    const d = def(s);
    if (d.shape) return [d.shape];
    if (d.innerType) return objects(d.innerType);
    if (d.in) return objects(d.in);
    if (d.options) return d.options.flatMap(objects);
    if (d.left) return [...objects(d.left), ...objects(d.right)];
    return [];
  };
  let current: unknown[] = [schema];
  for (const step of path) {
    current = current.flatMap((s) => {
      if (typeof step === "number") {
        const unwrap = (x: unknown): unknown[] => { const d = def(x); return d.element ? [d.element] : d.innerType ? unwrap(d.innerType) : d.in ? unwrap(d.in) : []; };
        return unwrap(s);
      }
      return objects(s).map((shape) => shape[String(step)]).filter((x) => x !== undefined);
    });
  }
  return [...new Set(current.flatMap(objects).flatMap((shape) => Object.keys(shape)))];
}

/** The valid name closest to `key` by edit distance (case-insensitive), if it is plausibly a misspelling. */
function nearest(key: string, valid: readonly string[]): string | undefined {
  let best: string | undefined, bestDistance = Infinity;
  for (const name of valid) {
    const d = editDistance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) { best = name; bestDistance = d; }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

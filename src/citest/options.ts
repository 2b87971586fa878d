/**
 * A CI test's options: each field's default, check and one-line description. A small schema of our own
 * rather than zod: the citest modules load in every Level I and compute worker thread and in every PC
 * process, and evaluating zod costs about 80 ms of CPU per load (more than a whole small PC run).
 * Semantics follow z.object(): unknown keys are dropped (runners pass e.g. `seed` to every test), an
 * undefined value takes the default, a wrong value is a UsageError naming the test, the option and the fix.
 */
import { UsageError } from "../errors.ts";

export interface OptionField<T> {
  /** What the option means (CLI help, docs). */
  describe: string;
  /** The value when the option is not given; absent for optional options without one. */
  default: T | undefined;
  /** What a valid value looks like, for error messages ("an integer ≥ 1", "one of exact, causal-learn"). */
  expected: string;
  /** Whether `value` is valid. */
  accepts(value: unknown): value is T;
}

type ValueOf<F> = F extends OptionField<infer T> ? T : never;
export type OptionValues<F extends Record<string, OptionField<unknown>>> = { [K in keyof F]: ValueOf<F[K]> };

export interface OptionSchema<O> {
  readonly fields: { readonly [K in keyof O]: OptionField<O[K]> };
  /** The options with defaults filled in; throws UsageError on a wrong value. */
  parse(raw: unknown, owner?: string): O;
}

export function optionSchema<F extends Record<string, OptionField<any>>>(fields: F): OptionSchema<OptionValues<F>> {
  return {
    fields: fields as OptionSchema<OptionValues<F>>["fields"],
    parse(raw, owner = "test") {
      if (raw !== undefined && (typeof raw !== "object" || raw === null || Array.isArray(raw))) {
        throw new UsageError(`${owner} options must be an object of option names to values, got ${describeValue(raw)}`,
          `options of ${owner}: ${Object.keys(fields).join(", ")}`);
      }
      const given = (raw ?? {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, field] of Object.entries(fields)) {
        const value = given[name];
        if (value === undefined) {
          if (field.default !== undefined) out[name] = field.default;
          continue;
        }
        if (!field.accepts(value)) {
          throw new UsageError(`${owner} option "${name}" must be ${field.expected}, got ${describeValue(value)}`,
            `${name}: ${field.describe}${field.default === undefined ? "" : ` (default ${String(field.default)})`}`);
        }
        out[name] = value;
      }
      return out as OptionValues<F>;
    },
  };
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return Array.isArray(value) ? "an array" : typeof value;
}

interface NumberRules { integer?: boolean; min?: number; positive?: boolean }

/** A finite number (optionally an integer, ≥ min, or > 0). */
export function numberOption(defaultValue: number, describe: string, rules: NumberRules = {}): OptionField<number> {
  const kind = rules.integer ? "an integer" : "a number";
  const bound = rules.positive ? " > 0" : rules.min !== undefined ? ` ≥ ${rules.min}` : "";
  return {
    describe, default: defaultValue, expected: kind + bound,
    accepts: (v): v is number => typeof v === "number" && Number.isFinite(v) && (!rules.integer || Number.isInteger(v))
      && (!rules.positive || v > 0) && (rules.min === undefined || v >= rules.min),
  };
}

export function booleanOption(defaultValue: boolean, describe: string): OptionField<boolean> {
  return { describe, default: defaultValue, expected: "true or false", accepts: (v): v is boolean => typeof v === "boolean" };
}

export function enumOption<const V extends readonly string[]>(values: V, defaultValue: V[number], describe: string): OptionField<V[number]> {
  return {
    describe, default: defaultValue, expected: `one of ${values.join(", ")}`,
    accepts: (v): v is V[number] => typeof v === "string" && values.includes(v),
  };
}

/** An option without a default (absent unless given), valid when `accepts` says so. */
export function optionalOption<T>(accepts: (v: unknown) => v is T, expected: string, describe: string): OptionField<T | undefined> {
  return { describe, default: undefined, expected, accepts: accepts as (v: unknown) => v is T | undefined };
}

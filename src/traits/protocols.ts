import { z } from "zod";
import { formatZodIssues } from "../errors.ts";

/**
 * Prompt protocols of the PersonaX consistency study (DESIGN §1.1). A protocol fixes the answer format
 * (numbers or text labels), the number of levels (3 or 5) and the direction of the scale (increasing:
 * 1 = low; decreasing: 1 = high). Every reply is mapped back to the increasing numeric scale, with
 * 0 = "insufficient information", so assessments from different protocols are comparable.
 * `version` is part of the cache key: changing a prompt's wording must bump it.
 */
export const TRAITS = ["o", "c", "e", "a", "n"] as const;
export type Trait = (typeof TRAITS)[number];
export const TRAIT_NAMES: Record<Trait, string> = {
  o: "Openness", c: "Conscientiousness", e: "Extraversion", a: "Agreeableness", n: "Neuroticism",
};

export interface Protocol {
  id: ProtocolId;
  version: number;
  format: "number" | "text";
  levels: 3 | 5;
  direction: "inc" | "dec";
  /** Allowed raw answers in the protocol's own scale (numbers or labels), "insufficient" answer first. */
  answers: readonly (number | string)[];
  /** Maps a raw answer to the increasing numeric scale 0..levels (0 = insufficient information). */
  toIncreasing(answer: number | string): number;
}

const TEXT_LABELS = {
  3: ["low", "medium", "high"],
  5: ["very low", "low", "medium", "high", "very high"],
} as const;
const INSUFFICIENT_LABEL = "insufficient information";

function makeProtocol(id: ProtocolId, format: "number" | "text", levels: 3 | 5, direction: "inc" | "dec"): Protocol {
  if (format === "text") {
    const labels = TEXT_LABELS[levels];
    return {
      id, version: 1, format, levels, direction,
      answers: [INSUFFICIENT_LABEL, ...labels],
      toIncreasing: (answer) => {
        const index = labels.indexOf(String(answer).trim().toLowerCase() as never);
        if (index >= 0) return index + 1;
        if (String(answer).trim().toLowerCase() === INSUFFICIENT_LABEL) return 0;
        throw new RangeError(`"${answer}" is not one of: ${[INSUFFICIENT_LABEL, ...labels].join(", ")}`);
      },
    };
  }
  return {
    id, version: 1, format, levels, direction,
    answers: Array.from({ length: levels + 1 }, (_, i) => i),
    toIncreasing: (answer) => {
      const value = Number(answer);
      if (!Number.isInteger(value) || value < 0 || value > levels) throw new RangeError(`${answer} is not an integer in 0..${levels}`);
      if (value === 0) return 0;
      return direction === "inc" ? value : levels + 1 - value;
    },
  };
}

export const protocolIds = ["Number-L3-Inc", "Number-L5-Inc", "Number-L3-Dec", "Number-L5-Dec", "Text-L3-Inc", "Text-L5-Inc"] as const;
export type ProtocolId = (typeof protocolIds)[number];
export const DEFAULT_PROTOCOL: ProtocolId = "Number-L3-Inc";

export const protocols: Record<ProtocolId, Protocol> = {
  "Number-L3-Inc": makeProtocol("Number-L3-Inc", "number", 3, "inc"),
  "Number-L5-Inc": makeProtocol("Number-L5-Inc", "number", 5, "inc"),
  "Number-L3-Dec": makeProtocol("Number-L3-Dec", "number", 3, "dec"),
  "Number-L5-Dec": makeProtocol("Number-L5-Dec", "number", 5, "dec"),
  "Text-L3-Inc": makeProtocol("Text-L3-Inc", "text", 3, "inc"),
  "Text-L5-Inc": makeProtocol("Text-L5-Inc", "text", 5, "inc"),
};

export function getProtocol(id: string): Protocol {
  const protocol = (protocols as Record<string, Protocol>)[id];
  if (!protocol) throw new RangeError(`unknown prompt protocol "${id}"; valid: ${protocolIds.join(", ")}`);
  return protocol;
}

/** Who is being assessed. Athletes: name + league; celebrities: name + short description. */
export interface PersonPrompt {
  id: string;
  name: string;
  flavour: "athlete" | "celebrity";
  /** League for athletes, short description (occupation, …) for celebrities. */
  context: string;
}

/** The scale's description as the model reads it. */
function scaleText(protocol: Protocol): string {
  if (protocol.format === "text") {
    return `Answer each trait's "score" with one of these labels, from lowest to highest: ${TEXT_LABELS[protocol.levels]
      .map((l) => `"${l}"`).join(", ")}. Answer "${INSUFFICIENT_LABEL}" if you do not have enough information about this person.`;
  }
  const n = protocol.levels;
  const ends = protocol.direction === "inc" ? `1 = lowest, ${n} = highest` : `1 = highest, ${n} = lowest`;
  return `Answer each trait's "score" with an integer from 1 to ${n} (${ends}). Answer 0 if you do not have enough information about this person.`;
}

/** JSON schema of the expected reply, used for structured output and (in JSON mode) inside the prompt. */
export function replyJsonSchema(protocol: Protocol): Record<string, unknown> {
  const score = protocol.format === "text"
    ? { type: "string", enum: [...protocol.answers] }
    : { type: "integer", minimum: 0, maximum: protocol.levels };
  const trait = {
    type: "object",
    properties: { description: { type: "string" }, score },
    required: ["description", "score"],
    additionalProperties: false,
  };
  return {
    type: "object",
    properties: Object.fromEntries(TRAITS.map((t) => [TRAIT_NAMES[t].toLowerCase(), trait])),
    required: TRAITS.map((t) => TRAIT_NAMES[t].toLowerCase()),
    additionalProperties: false,
  };
}

export interface Prompt { system: string; user: string }

/**
 * The prompt for one person. `schemaInPrompt` is for providers without JSON-schema output (DeepSeek's
 * JSON mode), which must read the schema in the text.
 */
export function buildPrompt(person: PersonPrompt, protocol: Protocol, schemaInPrompt: boolean): Prompt {
  const who = person.flavour === "athlete"
    ? `${person.name}, a professional athlete (league: ${person.context})`
    : `${person.name}, a public figure (${person.context})`;
  const system = "You are an expert personality psychologist. You assess the Big Five personality traits of public figures " +
    "from publicly available information about their public behaviour. Reply with JSON only.";
  const lines = [
    `Assess the Big Five personality traits of ${who}.`,
    `For each trait (${TRAITS.map((t) => TRAIT_NAMES[t]).join(", ")}) give a short "description" of the evidence and a "score".`,
    scaleText(protocol),
  ];
  if (schemaInPrompt) lines.push(`Reply with a JSON object that follows this JSON schema exactly:\n${JSON.stringify(replyJsonSchema(protocol))}`);
  return { system, user: lines.join("\n") };
}

/** One trait's assessment after mapping to the increasing numeric scale. */
export interface TraitAnswer { description: string; score: number }
export type Assessment = Record<Trait, TraitAnswer>;

function replySchema(protocol: Protocol) {
  const score = protocol.format === "text"
    ? z.string().refine((s) => protocol.answers.includes(s.trim().toLowerCase()), { message: `must be one of: ${protocol.answers.join(", ")}` })
    : z.number().int().min(0).max(protocol.levels);
  const trait = z.object({ description: z.string(), score });
  return z.object(Object.fromEntries(TRAITS.map((t) => [TRAIT_NAMES[t].toLowerCase(), trait])) as Record<string, typeof trait>);
}

const REFUSAL_PATTERNS = [
  /\bI(?:'m| am) (?:sorry|unable|not able)\b/i,
  /\bI can(?:no|')t (?:help|assist|provide|comply|do that)/i,
  /\bI (?:must|have to) decline\b/i,
  /\bas an AI\b/i,
];

/** The outcome of reading one raw reply. */
export type ParsedReply =
  | { ok: true; assessment: Assessment }
  | { ok: false; kind: "refusal" | "invalid"; message: string };

/**
 * Reads one raw reply: JSON (a ```json fence is tolerated), then the protocol's zod schema, then the
 * mapping to the increasing scale. A reply that is not JSON and reads like a refusal is a "refusal";
 * anything else that fails is "invalid" with a message fit to send back to the model.
 */
export function parseReply(raw: string, protocol: Protocol): ParsedReply {
  const text = raw.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (REFUSAL_PATTERNS.some((p) => p.test(raw))) return { ok: false, kind: "refusal", message: `the model refused: ${raw.slice(0, 200)}` };
    return { ok: false, kind: "invalid", message: `the reply is not valid JSON (${(error as Error).message})` };
  }
  const result = replySchema(protocol).safeParse(json);
  if (!result.success) {
    return { ok: false, kind: "invalid", message: `the reply does not match the schema: ${formatZodIssues(result.error.issues)}` };
  }
  const assessment = {} as Assessment;
  for (const t of TRAITS) {
    const answer = (result.data as Record<string, { description: string; score: number | string }>)[TRAIT_NAMES[t].toLowerCase()]!;
    assessment[t] = { description: answer.description, score: protocol.toIncreasing(answer.score) };
  }
  return { ok: true, assessment };
}

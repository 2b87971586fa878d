/**
 * Fake LLM APIs on 127.0.0.1 (node:http) for tests: an OpenAI-compatible chat/embeddings API and the
 * Gemini API as @google/genai calls it. They answer Big Five assessments deterministically from the
 * person's name (so three "LLMs" mostly agree), follow the protocol found in the request (levels, text
 * labels, decreasing scales), count every request per person, and play scripted faults: 429 with
 * Retry-After, 500, timeouts, a connection cut halfway through the body, truncated JSON, wrong schema,
 * refusals, and "hold" (never answer, for the SIGKILL test).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Fault = "rate-limit" | "server-error" | "timeout" | "disconnect" | "truncated" | "wrong-schema" | "refusal" | "refusal-text" | "hold"
  /** 401 whose body echoes the key it was sent, as OpenAI's "Incorrect API key provided: sk-…" does. */
  | "unauthorized"
  /** 400 bad request (e.g. a model that does not take response_format). */
  | "bad-request"
  /** 200 with an HTML page (a wrong baseUrl, a proxy's login page). */
  | "html";

export interface FaultRule {
  fault: Fault;
  /** How many requests this rule hits (default 1). */
  times?: number;
  /** Only requests about this person (by name). */
  person?: string;
  /** For "rate-limit": the Retry-After header value in seconds (default 1). */
  retryAfterSeconds?: number;
}

export interface RequestRecord {
  kind: "chat" | "embed";
  model: string;
  person: string | undefined;
  /** HTTP status sent, or "timeout" / "held" when none was sent. */
  status: number | "timeout" | "held";
  fault: Fault | undefined;
  /** A 200 reply carrying a schema-valid assessment. */
  validReply: boolean;
  /** Messages after the first user prompt (a retry with a validation error has some). */
  followUps: number;
  /** The Idempotency-Key header, when sent. */
  idempotencyKey: string | undefined;
  at: number;
}

export interface FakeLlmServer {
  kind: "openai" | "gemini";
  /** The baseUrl to put in a model config (OpenAI: ends in /v1). */
  baseUrl: string;
  /** Every request as recorded once answered (after the latency). */
  requests: RequestRecord[];
  /** The person of each chat request, recorded the moment its body arrives (before the latency): what a client has in flight. */
  arrivals: string[];
  addFaults(...rules: FaultRule[]): void;
  /** Hold every request after `count` valid replies have been delivered (until release() or close()). */
  holdAfterValidReplies(count: number): void;
  release(): void;
  readonly heldCount: number;
  validReplies(person?: string): number;
  close(): Promise<void>;
}

export interface FakeServerOptions {
  /** Milliseconds before each answer (default 0). */
  latencyMs?: number;
  /** For "timeout": how long the server stays silent before dropping the connection (default 3000). */
  timeoutMs?: number;
}

const TRAIT_KEYS = ["openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism"] as const;
const WORDS: Record<(typeof TRAIT_KEYS)[number], [string, string, string]> = {
  openness: ["conventional routine traditional", "balanced practical open", "curious inventive imaginative"],
  conscientiousness: ["spontaneous careless flexible", "reliable steady organised", "disciplined meticulous driven"],
  extraversion: ["reserved quiet private", "sociable measured friendly", "outgoing energetic talkative"],
  agreeableness: ["critical blunt competitive", "fair cooperative polite", "warm generous compassionate"],
  neuroticism: ["calm composed resilient", "occasionally tense moody", "anxious volatile sensitive"],
};

/** FNV-1a hash → [0, 1). */
function unit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32;
}

interface ProtocolShape { levels: number; labels: string[] | undefined; decreasing: boolean }

function findScoreSchema(schema: unknown): ProtocolShape | undefined {
  const s = schema as { properties?: Record<string, { properties?: { score?: { enum?: string[]; maximum?: number } } }> } | undefined;
  const score = s?.properties?.openness?.properties?.score;
  if (!score) return undefined;
  if (score.enum) return { levels: score.enum.length - 1, labels: score.enum.slice(1), decreasing: false };
  return { levels: score.maximum ?? 3, labels: undefined, decreasing: false };
}

function protocolOf(schema: unknown, prompt: string): ProtocolShape {
  let shape = findScoreSchema(schema);
  if (!shape) {
    const marker = prompt.indexOf("JSON schema exactly:\n");
    if (marker >= 0) {
      try { shape = findScoreSchema(JSON.parse(prompt.slice(marker + "JSON schema exactly:\n".length))); } catch { /* fall through */ }
    }
  }
  shape ??= { levels: 3, labels: undefined, decreasing: false };
  shape.decreasing = /1 = highest/.test(prompt);
  return shape;
}

/** The deterministic assessment the model `model` gives `person` under a protocol. */
export function fakeAssessment(model: string, person: string, shape: ProtocolShape): Record<string, { description: string; score: number | string }> {
  const out: Record<string, { description: string; score: number | string }> = {};
  for (const trait of TRAIT_KEYS) {
    const latent = unit(`${person}|${trait}`);
    const noise = unit(`${model}|${person}|${trait}`);
    let level = 1 + Math.floor(latent * shape.levels);
    if (noise < 0.12) level = Math.max(1, level - 1);
    else if (noise > 0.88) level = Math.min(shape.levels, level + 1);
    const insufficient = unit(`${model}|${person}|zero|${trait}`) < 0.06;
    const band = Math.min(2, Math.floor(((level - 1) / Math.max(1, shape.levels - 1)) * 2.999));
    const description = insufficient ? "Little public information is available about this trait."
      : `${person} appears ${WORDS[trait][band]} in public life.`;
    let score: number | string;
    if (insufficient) score = shape.labels ? "insufficient information" : 0;
    else if (shape.labels) score = shape.labels[level - 1]!;
    else score = shape.decreasing ? shape.levels + 1 - level : level;
    out[trait] = { description, score };
  }
  return out;
}

function personOf(prompt: string): string | undefined {
  return /traits of (.+?), a (?:professional athlete|public figure)/.exec(prompt)?.[1];
}

export async function startFakeLlmServer(kind: "openai" | "gemini", options: FakeServerOptions = {}): Promise<FakeLlmServer> {
  const rules: Array<FaultRule & { left: number }> = [];
  const requests: RequestRecord[] = [];
  const arrivals: string[] = [];
  const held: Array<() => void> = [];
  let holdAfter = Infinity;
  const countValid = (person?: string) => requests.filter((r) => r.validReply && (person === undefined || r.person === person)).length;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void handle(req, res, Buffer.concat(chunks).toString("utf8"));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, bodyText: string): Promise<void> {
    const url = req.url ?? "";
    let body: Record<string, any>;
    try { body = JSON.parse(bodyText || "{}"); } catch { return send(res, 400, { error: { message: "bad JSON body" } }); }
    const arriving = personOf(body.messages?.find?.((m: { role: string }) => m.role === "user")?.content ?? body.contents?.[0]?.parts?.map?.((p: { text: string }) => p.text).join("") ?? "");
    if (arriving !== undefined) arrivals.push(arriving);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));

    const isEmbed = kind === "openai" ? url.endsWith("/embeddings") : /:(batchEmbedContents|embedContent)$/.test(url);
    const isChat = kind === "openai" ? url.endsWith("/chat/completions") : url.includes(":generateContent");
    if (!isEmbed && !isChat) return send(res, 404, { error: { message: `no route ${url}` } });
    const model = kind === "openai" ? String(body.model) : decodeURIComponent(/models\/([^:]+):/.exec(url)?.[1] ?? "");

    if (isEmbed) {
      const texts: string[] = kind === "openai" ? [].concat(body.input)
        : (body.requests ?? [body]).map((r: any) => r.content?.parts?.map((p: any) => p.text).join("") ?? "");
      requests.push({ kind: "embed", model, person: undefined, status: 200, fault: undefined, validReply: false, followUps: 0, idempotencyKey: undefined, at: Date.now() });
      const vectors = texts.map((t) => Array.from({ length: 8 }, (_, i) => unit(`${t}|${i}`) - 0.5));
      // The openai SDK asks for base64 (little-endian float32) unless told otherwise, as the real API allows.
      const encode = (v: number[]) => (body.encoding_format === "base64" ? Buffer.from(Float32Array.from(v).buffer).toString("base64") : v);
      if (kind === "openai") return send(res, 200, { object: "list", model, data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding: encode(embedding) })), usage: { prompt_tokens: texts.join(" ").length >> 2, total_tokens: texts.join(" ").length >> 2 } });
      return send(res, 200, { embeddings: vectors.map((values) => ({ values })) });
    }

    let prompt: string, schema: unknown, followUps: number;
    if (kind === "openai") {
      const messages = body.messages as Array<{ role: string; content: string }>;
      prompt = messages.find((m) => m.role === "user")?.content ?? "";
      schema = body.response_format?.json_schema?.schema;
      followUps = messages.length - 2;
    } else {
      const contents = body.contents as Array<{ role: string; parts: Array<{ text: string }> }>;
      prompt = contents[0]?.parts.map((p) => p.text).join("") ?? "";
      schema = body.generationConfig?.responseJsonSchema ?? body.generationConfig?.responseSchema;
      followUps = contents.length - 1;
    }
    const person = personOf(prompt);
    const idempotencyKey = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : undefined;
    const record: RequestRecord = { kind: "chat", model, person, status: 200, fault: undefined, validReply: false, followUps, idempotencyKey, at: Date.now() };
    requests.push(record);

    if (countValid() >= holdAfter) {
      record.status = "held";
      await new Promise<void>((resolve) => held.push(resolve));
      res.destroy();
      return;
    }
    const rule = rules.find((r) => r.left > 0 && (r.person === undefined || r.person === person));
    if (rule) rule.left--;
    record.fault = rule?.fault;
    const shape = protocolOf(schema, prompt);
    const assessment = fakeAssessment(model, person ?? "unknown", shape);
    let content: string | null = JSON.stringify(assessment);
    let refusal: string | undefined;
    switch (rule?.fault) {
      case "rate-limit":
        record.status = 429;
        return send(res, 429, { error: { code: 429, message: "Rate limit reached, slow down", status: "RESOURCE_EXHAUSTED" } },
          { "retry-after": String(rule.retryAfterSeconds ?? 1) });
      case "unauthorized": {
        record.status = 401;
        const sent = kind === "openai" ? String(req.headers.authorization ?? "").replace(/^Bearer /, "") : String(req.headers["x-goog-api-key"] ?? "");
        return send(res, 401, { error: { message: `Incorrect API key provided: ${sent}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          type: "invalid_request_error", code: "invalid_api_key", status: "UNAUTHENTICATED" } });
      }
      case "bad-request":
        record.status = 400;
        return send(res, 400, { error: { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", type: "invalid_request_error", status: "INVALID_ARGUMENT" } });
      case "html": {
        const page = "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>";
        res.writeHead(200, { "content-type": "text/html", "content-length": Buffer.byteLength(page) });
        res.end(page);
        return;
      }
      case "server-error":
        record.status = 500;
        return send(res, 500, { error: { code: 500, message: "internal error", status: "INTERNAL" } });
      case "timeout":
        record.status = "timeout";
        await new Promise((r) => setTimeout(r, options.timeoutMs ?? 3000));
        res.destroy();
        return;
      case "disconnect": {
        record.status = "timeout";
        const text = JSON.stringify({ error: "x".repeat(200) });
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.write(text.slice(0, 50));
        setTimeout(() => res.destroy(), 20);
        return;
      }
      case "hold":
        record.status = "held";
        await new Promise<void>((resolve) => held.push(resolve));
        res.destroy();
        return;
      case "truncated": content = content.slice(0, Math.floor(content.length / 2)); break;
      case "wrong-schema": content = JSON.stringify({ openness: { score: 9 }, mood: "fine" }); break;
      case "refusal": refusal = "I'm sorry, but I can't help with assessing real people's personalities."; content = null; break;
      case "refusal-text": content = "I'm sorry, but I can't help with that request."; break;
      default: record.validReply = true;
    }
    const inputTokens = Math.ceil((prompt.length + JSON.stringify(schema ?? "").length) / 4);
    const outputTokens = Math.ceil((content ?? refusal ?? "").length / 4);
    if (kind === "openai") {
      return send(res, 200, {
        id: `chatcmpl-${requests.length}`, object: "chat.completion", created: Math.floor(Date.now() / 1000), model,
        choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content, refusal: refusal ?? null } }],
        usage: { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
      });
    }
    const candidate = refusal !== undefined
      ? { finishReason: "SAFETY", index: 0, content: { role: "model", parts: [] } }
      : { finishReason: "STOP", index: 0, content: { role: "model", parts: [{ text: content }] } };
    return send(res, 200, { candidates: [candidate], usageMetadata: { promptTokenCount: inputTokens, candidatesTokenCount: outputTokens, totalTokenCount: inputTokens + outputTokens }, modelVersion: model });
  }

  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const root = `http://127.0.0.1:${port}`;
  return {
    kind,
    baseUrl: kind === "openai" ? `${root}/v1` : root,
    requests,
    arrivals,
    addFaults: (...more) => { for (const r of more) rules.push({ ...r, left: r.times ?? 1 }); },
    holdAfterValidReplies: (count) => { holdAfter = count; },
    release: () => { holdAfter = Infinity; for (const r of held.splice(0)) r(); },
    get heldCount() { return held.length; },
    validReplies: countValid,
    close: async () => {
      for (const r of held.splice(0)) r();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

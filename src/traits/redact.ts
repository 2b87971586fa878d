/**
 * Keys must never reach a message, a log line, `--json` output or the store, even when a provider echoes
 * them ("Incorrect API key provided: sk-…"). `redactSecrets` replaces the configured keys and anything
 * shaped like a bearer token or API key with a short marker that keeps the last 4 characters (enough to
 * tell two keys apart, too little to use).
 */

/** Token shapes of the common providers, and any "Bearer <token>" / "api_key=<token>". */
const TOKEN_SHAPES = [
  /\bsk-[A-Za-z0-9_\-*.]{6,}/g,           // OpenAI, DeepSeek, OpenRouter (sk-or-…), Anthropic (sk-ant-…); also "sk-ab***cd"
  /\bAIza[0-9A-Za-z_\-]{20,}/g,           // Google API keys (Gemini)
  /\b(?:gsk|xai|hf|ghp|gho|glpat)[_-][A-Za-z0-9_\-]{10,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9_\-.~+/=]{8,}/gi,
  /\b((?:api[_-]?key|access[_-]?token|key|token|secret)["']?\s*[:=]\s*["']?)[A-Za-z0-9_\-.~+/]{12,}/gi,
];

function marker(secret: string): string {
  return `[redacted …${secret.slice(-4)}]`;
}

/**
 * `text` without the given secrets and without token-shaped strings. `keyShapesOnly` (for stored replies,
 * which must still parse) leaves "Bearer …" and "key=…" phrases alone and removes only the keys and the
 * providers' key shapes.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined> = [], keyShapesOnly = false): string {
  let out = text;
  // Longest first, so a key that contains another key is replaced whole.
  for (const secret of [...new Set([...secrets].filter((s): s is string => typeof s === "string" && s.length >= 4))].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(marker(secret));
  }
  out = out.replace(TOKEN_SHAPES[0]!, (m) => marker(m)).replace(TOKEN_SHAPES[1]!, (m) => marker(m)).replace(TOKEN_SHAPES[2]!, (m) => marker(m));
  if (keyShapesOnly) return out;
  out = out.replace(TOKEN_SHAPES[3]!, (_m, scheme: string) => `${scheme} [redacted]`);
  out = out.replace(TOKEN_SHAPES[4]!, (m, prefix: string) => `${prefix}${marker(m)}`);
  return out;
}

/** A redactor bound to the keys of a run (read from the environment variables the config names). */
export function secretRedactor(secrets: Iterable<string | undefined>, keyShapesOnly = false): (text: string) => string {
  const list = [...secrets];
  return (text) => redactSecrets(text, list, keyShapesOnly);
}

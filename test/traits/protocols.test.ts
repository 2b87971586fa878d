import { test } from "node:test";
import assert from "node:assert/strict";
import { buildPrompt, getProtocol, parseReply, protocolIds, replyJsonSchema } from "../../src/traits/protocols.ts";

const person = { id: "x", name: "Sam Example", flavour: "athlete" as const, context: "NHL" };
const reply = (score: number | string) => JSON.stringify(Object.fromEntries(
  ["openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism"].map((k) => [k, { description: `${k} evidence`, score }])));

test("every protocol maps its answers back to the increasing scale, 0 = insufficient information", () => {
  assert.deepEqual(protocolIds, ["Number-L3-Inc", "Number-L5-Inc", "Number-L3-Dec", "Number-L5-Dec", "Text-L3-Inc", "Text-L5-Inc"]);
  const cases: Array<[string, number | string, number]> = [
    ["Number-L3-Inc", 3, 3], ["Number-L3-Inc", 0, 0], ["Number-L5-Inc", 4, 4],
    ["Number-L3-Dec", 1, 3], ["Number-L3-Dec", 3, 1], ["Number-L3-Dec", 0, 0], ["Number-L5-Dec", 2, 4],
    ["Text-L3-Inc", "high", 3], ["Text-L3-Inc", "insufficient information", 0], ["Text-L5-Inc", "very low", 1], ["Text-L5-Inc", "Very High", 5],
  ];
  for (const [id, answer, expected] of cases) {
    const parsed = parseReply(reply(answer), getProtocol(id));
    assert.ok(parsed.ok, `${id} ${answer}: ${!parsed.ok && parsed.message}`);
    assert.equal(parsed.assessment.o.score, expected, `${id} ${answer}`);
  }
  assert.throws(() => getProtocol("Number-L4-Inc"), /unknown prompt protocol "Number-L4-Inc"; valid: Number-L3-Inc/);
});

test("parseReply() tolerates a ```json fence, rejects out-of-scale scores and truncated JSON, and detects refusals", () => {
  const l3 = getProtocol("Number-L3-Inc");
  assert.ok(parseReply("```json\n" + reply(2) + "\n```", l3).ok);
  const wrong = parseReply(reply(4), l3);
  assert.ok(!wrong.ok && wrong.kind === "invalid" && /openness\.score/.test(wrong.message), JSON.stringify(wrong));
  const cut = parseReply(reply(2).slice(0, 40), l3);
  assert.ok(!cut.ok && cut.kind === "invalid" && /not valid JSON/.test(cut.message));
  const refusal = parseReply("I'm sorry, but I can't help with assessing real people.", l3);
  assert.ok(!refusal.ok && refusal.kind === "refusal");
  const label = parseReply(reply("medium-ish"), getProtocol("Text-L3-Inc"));
  assert.ok(!label.ok && /must be one of: insufficient information, low, medium, high/.test(label.message));
});

test("buildPrompt() states the scale and puts the schema in the prompt only for JSON mode", () => {
  const dec = buildPrompt(person, getProtocol("Number-L5-Dec"), false);
  assert.match(dec.user, /Sam Example, a professional athlete \(league: NHL\)/);
  assert.match(dec.user, /integer from 1 to 5 \(1 = highest, 5 = lowest\)\. Answer 0 if you do not have enough information/);
  assert.doesNotMatch(dec.user, /JSON schema/);
  const text = buildPrompt({ ...person, flavour: "celebrity", context: "actor" }, getProtocol("Text-L5-Inc"), true);
  assert.match(text.user, /a public figure \(actor\)/);
  assert.match(text.user, /"very low", "low", "medium", "high", "very high"/);
  assert.match(text.user, /follows this JSON schema exactly:\n\{/);
  const schema = replyJsonSchema(getProtocol("Text-L3-Inc")) as { required: string[] };
  assert.deepEqual(schema.required, ["openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism"]);
});

/** Public API of LLM trait inference, aggregation and agreement. */
export { LlmConfig, ModelConfig, loadLlmConfig, parseLlmConfig, exampleLlmConfig, costOf } from "./config.ts";
export { protocols, protocolIds, getProtocol, buildPrompt, parseReply, replyJsonSchema, DEFAULT_PROTOCOL, type Protocol, type ProtocolId, type PersonPrompt, type Assessment } from "./protocols.ts";
export { createProvider, ProviderError, type LlmProvider, type ChatRequest, type ChatReply } from "./providers/index.ts";
export { inferTraits, planInference, storedAssessments, type InferOptions, type InferSummary, type DryRunPlan } from "./runner.ts";
export { CallCache, type StoredCall } from "./call-cache.ts";
export { writeIdentities, importIdentities, createSyntheticIdentities, readPersonPrompts } from "./identities.ts";
export { syncAssessments, aggregateFinals } from "./aggregate.ts";
export { computeAgreement, agreementFromStore, formatAgreement, writeAgreement, type AgreementReport } from "./agreement.ts";
export { agreementSvg } from "../report/agreement-chart.ts";
export { icc, type IccResult } from "./icc.ts";
export { krippendorffAlpha, type AlphaLevel } from "./krippendorff-alpha.ts";
export { spearman } from "./spearman.ts";

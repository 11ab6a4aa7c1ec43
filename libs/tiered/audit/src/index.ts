// Durability audit of the tiered log (issue 9 item 6): continuity from log start to high
// watermark across tiers, deletions checked against retention, objects re-read at a bounded rate
// and compared with their CRC32C, damaged objects repaired from a replica.
export type { FindingKind, FindingDraft, Finding, HotLogState, AuditRetention, AuditTarget } from './types';
export { checkContinuity, type ContinuityInput } from './continuity';
export { vanishedBeforeRetention, type VanishedInput } from './retention-check';
export { ByteRateLimiter, realClock, type LimiterClock } from './rate-limiter';
export { verifyObject, type VerifyOutcome, type VerifyOptions } from './verify-object';
export { repairFromReplica, type RepairOutcome, type RepairOptions } from './repair';
export { FindingRegistry } from './findings';
export { createAuditMetrics, FINDING_KINDS, type AuditMetrics } from './audit-metrics';
export { auditPartition, INITIAL_STATE, type PartitionAuditState, type PartitionAuditResult, type PartitionAuditOptions } from './partition-audit';
export { DurabilityAuditor, type AuditorOptions, type AuditStatus, type AuditLogger, type PassReport } from './auditor';

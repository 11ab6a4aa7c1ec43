// Checks a driver's result against what the scenario promised. Returns the reason for a failure,
// or undefined when the result is right. One implementation for every client, so a client cannot
// pass by checking less.
import { ALTERED_CONFIG, type Scenario } from './scenarios';
import type { Codec, ConsumedRecord, DriverOp, DriverResult } from './protocol';

const RECORD_VALUE = /^([a-z0-9]+)-(\d+)$/;

/**
 * Every produced record exactly once, with the key that belongs to its value, and per partition
 * each producer's records in the order they were sent (Kafka guarantees order per partition only).
 */
export function verifyRecords(records: readonly ConsumedRecord[], codecs: readonly Codec[], perCodec: number): string | undefined {
  const seen = new Map<string, Set<number>>(codecs.map((c) => [c, new Set<number>()]));
  const lastIndex = new Map<string, number>();
  const byPartition = new Map<number, ConsumedRecord[]>();
  for (const r of records) byPartition.set(r.p, [...(byPartition.get(r.p) ?? []), r]);
  for (const [partition, list] of byPartition) {
    const sorted = [...list].sort((a, b) => (BigInt(a.o) < BigInt(b.o) ? -1 : BigInt(a.o) > BigInt(b.o) ? 1 : 0));
    for (const r of sorted) {
      const match = RECORD_VALUE.exec(r.v);
      const tag = match?.[1] ?? '';
      const index = Number(match?.[2] ?? -1);
      const set = seen.get(tag);
      if (!match || !set) return `unexpected record value "${r.v}" at partition ${partition} offset ${r.o}`;
      if (r.k !== `k${index}`) return `record "${r.v}" has key "${r.k}", expected "k${index}"`;
      if (set.has(index)) return `record "${r.v}" delivered twice (partition ${partition} offset ${r.o})`;
      set.add(index);
      const orderKey = `${partition}/${tag}`;
      const previous = lastIndex.get(orderKey) ?? -1;
      if (index <= previous) return `partition ${partition}: "${tag}-${index}" at offset ${r.o} comes after "${tag}-${previous}" (order broken)`;
      lastIndex.set(orderKey, index);
    }
  }
  for (const [tag, set] of seen) {
    if (set.size !== perCodec) {
      const missing = Array.from({ length: perCodec }, (_, i) => i).find((i) => !set.has(i));
      return `${tag}: got ${set.size} of ${perCodec} records (first missing: ${tag}-${missing})`;
    }
  }
  return undefined;
}

/** The reason a scenario failed, or undefined when the driver's result is what the scenario expects. */
export function verifyResult(scenario: Scenario, op: DriverOp, result: DriverResult, codecs: readonly Codec[], perCodec: number): string | undefined {
  if (op.op === 'auth') {
    if (result.refused === true) return undefined;
    return result.error ? `not refused as an authentication failure: ${result.error}` : 'a wrong password was accepted';
  }
  if (!result.ok) return result.error ?? 'the driver reported failure without a reason';
  switch (op.op) {
    case 'produce':
      return result.produced === op.count ? undefined : `produced ${String(result.produced)} of ${op.count} records`;
    case 'consume-assign':
      return verifyRecords(result.records ?? [], codecs, perCodec);
    case 'consume-group': {
      const members = new Set((result.records ?? []).map((r) => r.m));
      // A group is at-least-once: when a partition moves to another member before the first one
      // committed, the new owner reads from the last commit again. The same partition and offset
      // seen twice is that replay, not a duplicate record; a value at two offsets still fails.
      const seen = new Set<string>();
      const unique = (result.records ?? []).filter((r) => !seen.has(`${r.p}/${r.o}`) && seen.add(`${r.p}/${r.o}`) !== undefined);
      const problem = verifyRecords(unique, codecs, perCodec);
      if (problem) return problem;
      // With 3 partitions and 3 members, the group protocol must hand every member some work.
      return members.size === op.members ? undefined : `only ${members.size} of ${op.members} group members received records`;
    }
    case 'commit-resume': {
      const records = result.records ?? [];
      const first = records.filter((r) => r.m === 0).length;
      const problem = verifyRecords(records, codecs, perCodec);
      if (problem) return `${problem} (across both consumers: a duplicate means the commit was not honoured)`;
      if (first < op.firstBatch) return `the first consumer processed ${first} records, fewer than ${op.firstBatch}`;
      return first === records.length ? 'the resumed consumer received nothing' : undefined;
    }
    case 'describe-configs': {
      const configs = result.configs ?? {};
      return 'retention.ms' in configs && 'cleanup.policy' in configs ? undefined : `describe returned no retention.ms / cleanup.policy (got ${Object.keys(configs).slice(0, 10).join(', ') || 'nothing'})`;
    }
    case 'alter-config': {
      const value = result.configs?.[ALTERED_CONFIG.name];
      return value === op.value ? undefined : `after altering, ${op.name} reads back as ${String(value)}, expected ${op.value}`;
    }
    case 'delete-topic':
      return result.topics?.includes(op.topic) ? `the topic is still listed after deletion` : undefined;
    case 'create-topic':
      return result.topics?.includes(op.topic) ? undefined : `the created topic is not listed (listed: ${(result.topics ?? []).join(', ')})`;
  }
  return `${scenario.id}: no check defined`;
}

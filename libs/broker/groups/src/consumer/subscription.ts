// Which topics a KIP-848 group reads: explicit names plus regex matches against the tenant's
// topic catalog (supplied by the caller). Kafka evaluates RE2/J patterns with full-match
// semantics; we use JavaScript RegExp with an anchored full match, and compile with the 'u' flag.
import type { ConsumerGroup } from '../state';
import type { TopicCatalog, TopicInfo } from '../types';

export function compileRegex(source: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${source})$`, 'u');
  } catch {
    return undefined;
  }
}

export function resolveRegex(source: string, catalog: TopicCatalog): string[] {
  const re = compileRegex(source);
  if (!re) return [];
  return [...catalog.keys()].filter((name) => re.test(name)).sort();
}

export interface ResolvedSubscriptions {
  readonly topics: Map<string, TopicInfo>;
  readonly regexes: Map<string, string[]>;
}

/** Recomputes the group's subscribed topics; topics that do not exist (yet) are left out. */
export function resolveSubscriptions(g: ConsumerGroup, catalog: TopicCatalog): ResolvedSubscriptions {
  const regexes = new Map<string, string[]>();
  const names = new Set<string>();
  for (const m of g.members.values()) {
    for (const n of m.subscribedTopicNames) names.add(n);
    if (m.subscribedTopicRegex !== null && !regexes.has(m.subscribedTopicRegex)) {
      regexes.set(m.subscribedTopicRegex, resolveRegex(m.subscribedTopicRegex, catalog));
    }
  }
  for (const ts of regexes.values()) for (const t of ts) names.add(t);
  const topics = new Map<string, TopicInfo>();
  for (const n of [...names].sort()) {
    const info = catalog.get(n);
    if (info) topics.set(n, { id: info.id, name: info.name, partitions: info.partitions });
  }
  return { topics, regexes };
}

export function subscriptionsEqual(g: ConsumerGroup, r: ResolvedSubscriptions): boolean {
  if (g.subscriptionTopics.size !== r.topics.size || g.regexes.size !== r.regexes.size) return false;
  for (const [n, t] of r.topics) {
    const o = g.subscriptionTopics.get(n);
    if (!o || o.id !== t.id || o.partitions !== t.partitions) return false;
  }
  for (const [re, ts] of r.regexes) {
    const o = g.regexes.get(re);
    if (!o || o.length !== ts.length || o.some((x, i) => x !== ts[i])) return false;
  }
  return true;
}

/** Topic names one member reads (names ∪ its regex's matches), limited to topics that exist. */
export function memberTopicNames(g: ConsumerGroup, m: { subscribedTopicNames: readonly string[]; subscribedTopicRegex: string | null }): Set<string> {
  const out = new Set<string>();
  for (const n of m.subscribedTopicNames) if (g.subscriptionTopics.has(n)) out.add(n);
  if (m.subscribedTopicRegex !== null) for (const n of g.regexes.get(m.subscribedTopicRegex) ?? []) out.add(n);
  return out;
}

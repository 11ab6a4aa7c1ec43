// DeleteTopics (key 20): by name (all versions) or by topic id (v6+, KIP-516). Another tenant's
// topic is never found (metadata scopes every lookup by tenant), so it answers exactly like a topic
// that does not exist: UNKNOWN_TOPIC_OR_PARTITION by name, UNKNOWN_TOPIC_ID by id.
import type { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { DeleteTopicsRequest, DeleteTopicsResponse, DeleteTopicsResponseDeletableTopicResult } from '@stratus/kafka-messages';
import { ZERO_UUID, uuidFromBytes, uuidToBytes, type Uuid } from '@stratus/kafka-protocol';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { NOT_AUTHENTICATED, catchUpView, controllerDeadlineMs, duplicatesOf, tenantOf, type AdminContext } from './admin-context';
import { STRICT_QUOTA_FROM, callMetadata, translateMetadataError } from './metadata-call';

type Result = DeleteTopicsResponseDeletableTopicResult;

/** One requested deletion: what to ask metadata, or the answer already known. */
type Entry = { readonly name: string | null; readonly topicId: Uuid; readonly selector?: metadataV1.TopicSelector; result?: Result };

function uuidBytes(id: Uuid): Buffer {
  const buf = Buffer.alloc(16);
  uuidToBytes(id, buf, 0);
  return buf;
}

function entriesOf(request: DeleteTopicsRequest): Entry[] {
  if (request.topics !== undefined && request.topics.length > 0) {
    // Only well-formed entries (exactly one of name and id) can be duplicates of each other.
    const wellFormed = (t: { name: string | null; topicId: Uuid }) => (t.name === null) !== (t.topicId === ZERO_UUID);
    const keys = request.topics.map((t) => (!wellFormed(t) ? '' : t.name !== null ? `n:${t.name}` : `i:${t.topicId}`));
    const dup = duplicatesOf(keys.filter((k) => k !== ''));
    return request.topics.map((t, i) => {
      const base = { name: t.name, topicId: t.topicId };
      if (t.name !== null && t.topicId !== ZERO_UUID) {
        return { ...base, result: { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'You may not specify both topic name and topic id.' } };
      }
      if (t.name === null && t.topicId === ZERO_UUID) {
        return { ...base, result: { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Neither topic name nor id were specified.' } };
      }
      if (dup.has(keys[i] as string)) {
        return { ...base, result: { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic name or id.' } };
      }
      const selector: metadataV1.TopicSelector =
        t.name !== null ? { selector: { $case: 'name', value: t.name } } : { selector: { $case: 'topicId', value: { value: uuidBytes(t.topicId) } } };
      return { ...base, selector };
    });
  }
  // v1-v5 name topics only. A name given twice is ambiguous: Kafka's controller refuses it.
  const names = request.topicNames ?? [];
  const dup = duplicatesOf(names);
  return names.map((name) =>
    dup.has(name)
      ? { name, topicId: ZERO_UUID, result: { name, topicId: ZERO_UUID, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic name.' } }
      : { name, topicId: ZERO_UUID, selector: { selector: { $case: 'name', value: name } } },
  );
}

function fromMetadata(entry: Entry, r: metadataV1.DeleteTopicResult | undefined): Result {
  const code = r?.error?.code ?? ErrorCode.UNKNOWN_SERVER_ERROR;
  if (!r || code !== ErrorCode.NONE) {
    // An unknown id is unknown whatever the store said: it never reveals which ids exist elsewhere.
    const byId = entry.name === null;
    return { name: entry.name, topicId: entry.topicId, errorCode: byId && code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION ? ErrorCode.UNKNOWN_TOPIC_ID : code, errorMessage: r?.error?.message || null };
  }
  const id = r.topicId?.value;
  return { name: r.name || entry.name, topicId: id && id.length === 16 ? uuidFromBytes(id, 0) : entry.topicId, errorCode: ErrorCode.NONE, errorMessage: null };
}

export function deleteTopicsHandler(admin: AdminContext): ApiHandler {
  return {
    apiKey: 20,
    name: 'DeleteTopics',
    minVersion: 1,
    maxVersion: 6,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      const request = raw as DeleteTopicsRequest;
      const entries = entriesOf(request);
      const forward = entries.filter((e) => e.result === undefined && e.selector !== undefined);
      // Duplicates were answered above, so every selector is asked for once.
      const unique = new Map<string, metadataV1.TopicSelector>();
      for (const e of forward) unique.set(selectorKey(e.selector as metadataV1.TopicSelector), e.selector as metadataV1.TopicSelector);
      let throttleTimeMs = 0;
      if (unique.size > 0) {
        try {
          const response = await callMetadata(
            admin.metadata,
            'deleteTopics',
            {
              tenantId: { value: tenant },
              topics: [...unique.values()],
              timeoutMs: request.timeoutMs,
              // KIP-599: THROTTLING_QUOTA_EXCEEDED exists for DeleteTopics from v5.
              strictMutationQuota: ctx.header.apiVersion >= STRICT_QUOTA_FROM.deleteTopics,
            },
            controllerDeadlineMs(admin, request.timeoutMs),
          );
          throttleTimeMs = response.throttleTimeMs ?? 0;
          const byKey = new Map<string, metadataV1.DeleteTopicResult>();
          [...unique.keys()].forEach((key, i) => {
            const r = response.results[i];
            if (r) byKey.set(key, r);
          });
          for (const e of forward) e.result = fromMetadata(e, byKey.get(selectorKey(e.selector as metadataV1.TopicSelector)));
        } catch (err) {
          const t = translateMetadataError(err, 'NOT_CONTROLLER');
          ctx.logger.warn({ err, kafkaError: t.code }, 'DeleteTopics: metadata call failed');
          for (const e of forward) e.result = { name: e.name, topicId: e.topicId, errorCode: t.code, errorMessage: t.message };
        }
      }
      const results = entries.map((e) => e.result as Result);
      if (results.some((r) => r.errorCode === ErrorCode.NONE)) await catchUpView(admin, ctx, request.timeoutMs);
      const response: DeleteTopicsResponse = { throttleTimeMs, responses: results };
      return { response };
    },
  };
}

function selectorKey(s: metadataV1.TopicSelector): string {
  const sel = s.selector;
  if (sel?.$case === 'name') return `n:${sel.value}`;
  if (sel?.$case === 'topicId') return `i:${Buffer.from(sel.value.value).toString('hex')}`;
  return '';
}

// CreatePartitions (key 37): grows topics to a new total partition count (KIP-195), or only checks
// that it could (validate_only). Metadata validates the count (INVALID_PARTITIONS when it does
// not grow) and the tenant's partition limit (POLICY_VIOLATION) per topic.
import { ErrorCode } from '@stratus/kafka-errors';
import type { CreatePartitionsRequest, CreatePartitionsResponse, CreatePartitionsResponseCreatePartitionsTopicResult } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { NOT_AUTHENTICATED, catchUpView, controllerDeadlineMs, duplicatesOf, tenantOf, type AdminContext } from './admin-context';
import { STRICT_QUOTA_FROM, callMetadata, translateMetadataError } from './metadata-call';

type Result = CreatePartitionsResponseCreatePartitionsTopicResult;
type Topic = CreatePartitionsRequest['topics'][number];

function precheck(topic: Topic, duplicates: Set<string>): Result | undefined {
  if (duplicates.has(topic.name)) return { name: topic.name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic in request.' };
  if (topic.assignments !== null && topic.assignments.length > 0) {
    // Placement across the 3 zones is Stratus's; broker ids a client could name are routers.
    return {
      name: topic.name,
      errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      errorMessage: 'Manual replica assignments are not supported: Stratus places new partitions in 3 availability zones itself.',
    };
  }
  return undefined;
}

export function createPartitionsHandler(admin: AdminContext): ApiHandler {
  return {
    apiKey: 37,
    name: 'CreatePartitions',
    minVersion: 0,
    maxVersion: 3,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      const request = raw as CreatePartitionsRequest;
      const duplicates = duplicatesOf(request.topics.map((t) => t.name));
      const results = new Map<Topic, Result>();
      const forward: Topic[] = [];
      for (const topic of request.topics) {
        const early = precheck(topic, duplicates);
        if (early) results.set(topic, early);
        else forward.push(topic);
      }
      let throttleTimeMs = 0;
      if (forward.length > 0) {
        try {
          const response = await callMetadata(
            admin.metadata,
            'createPartitions',
            {
              tenantId: { value: tenant },
              topics: forward.map((t) => ({ name: t.name, totalCount: t.count })),
              validateOnly: request.validateOnly,
              timeoutMs: request.timeoutMs,
              // KIP-599: THROTTLING_QUOTA_EXCEEDED exists for CreatePartitions from v3.
              strictMutationQuota: ctx.header.apiVersion >= STRICT_QUOTA_FROM.createPartitions,
            },
            controllerDeadlineMs(admin, request.timeoutMs),
          );
          throttleTimeMs = response.throttleTimeMs ?? 0;
          forward.forEach((topic, i) => {
            const r = response.results[i];
            const code = r?.error?.code ?? ErrorCode.UNKNOWN_SERVER_ERROR;
            results.set(topic, { name: topic.name, errorCode: code, errorMessage: code === ErrorCode.NONE ? null : r?.error?.message || 'No result from metadata.' });
          });
        } catch (err) {
          const t = translateMetadataError(err, 'NOT_CONTROLLER');
          ctx.logger.warn({ err, kafkaError: t.code }, 'CreatePartitions: metadata call failed');
          for (const topic of forward) results.set(topic, { name: topic.name, errorCode: t.code, errorMessage: t.message });
        }
      }
      const ordered = request.topics.map((t) => results.get(t) as Result);
      if (!request.validateOnly && ordered.some((r) => r.errorCode === ErrorCode.NONE)) await catchUpView(admin, ctx, request.timeoutMs);
      const response: CreatePartitionsResponse = { throttleTimeMs, results: ordered };
      return { response };
    },
  };
}

// The ACL admin handlers over a fake metadata client that records calls: what the router sends
// (the connection's tenant, filters with Kafka's null as "absent") and how answers are shaped.
import { status, type ServiceError } from '@grpc/grpc-js';
import type { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { createLogger } from '@stratus/platform-logging';
import type { ApiHandler, HandlerResult, RequestContext } from '@stratus/router-kafka-server';
import { aclHandlers, groupByResource, type AclMetadataClient } from './acl-handlers';

const ctx = {
  header: { apiKey: 0, apiVersion: 3, correlationId: 1, clientId: 'unit' },
  sasl: { principal: { username: 'ak-1', tenantId: 'lkc-a' } },
  logger: createLogger({ service: 'acl-handlers-test', level: 'silent' }),
} as unknown as RequestContext;

const binding = (name: string, operation = 3): metadataV1.AclBinding => ({ resourceType: 2, resourceName: name, patternType: 3, principal: 'User:ak-1', host: '*', operation, permissionType: 3 });

function fakeClient(answers: Partial<Record<'createAcls' | 'describeAcls' | 'deleteAcls', unknown>>, calls: Array<[string, unknown]>): AclMetadataClient {
  const method = (name: 'createAcls' | 'describeAcls' | 'deleteAcls') => (req: unknown, _md: unknown, _opts: unknown, cb: (e: unknown, r: unknown) => void) => {
    calls.push([name, req]);
    const answer = answers[name];
    if (answer instanceof Error) cb(answer, undefined);
    else cb(null, answer);
  };
  return { createAcls: method('createAcls'), describeAcls: method('describeAcls'), deleteAcls: method('deleteAcls') } as unknown as AclMetadataClient;
}

async function respond(handlers: ApiHandler[], apiKey: number, request: unknown): Promise<Record<string, unknown>> {
  const h = handlers.find((x) => x.apiKey === apiKey);
  if (!h) throw new Error(`no handler ${apiKey}`);
  return ((await h.handle(ctx, request)) as HandlerResult).response as Record<string, unknown>;
}

describe('ACL handlers', () => {
  it('CreateAcls sends the bindings under the connection`s tenant and maps per-binding errors', async () => {
    const calls: Array<[string, unknown]> = [];
    const handlers = aclHandlers({ metadata: fakeClient({ createAcls: { results: [{}, { error: { code: 42, message: 'Invalid patternType MATCH' } }] } }, calls) });
    const response = await respond(handlers, 30, {
      creations: [
        { resourceType: 2, resourceName: 't', resourcePatternType: 3, principal: 'User:x', host: '*', operation: 3, permissionType: 3 },
        { resourceType: 2, resourceName: 't', resourcePatternType: 2, principal: 'User:x', host: '*', operation: 3, permissionType: 3 },
      ],
    });
    expect(calls[0]?.[1]).toMatchObject({ tenantId: { value: 'lkc-a' }, creations: [expect.objectContaining({ resourceName: 't', patternType: 3 }), expect.objectContaining({ patternType: 2 })] });
    expect(response['results']).toEqual([
      { errorCode: 0, errorMessage: null },
      { errorCode: 42, errorMessage: 'Invalid patternType MATCH' },
    ]);
  });

  it('DescribeAcls passes null filter strings as absent and groups bindings by resource', async () => {
    const calls: Array<[string, unknown]> = [];
    const handlers = aclHandlers({ metadata: fakeClient({ describeAcls: { bindings: [binding('a'), binding('a', 4), binding('b')] } }, calls) });
    const response = await respond(handlers, 29, { resourceTypeFilter: 1, resourceNameFilter: null, patternTypeFilter: 1, principalFilter: 'User:ak-1', hostFilter: null, operation: 1, permissionType: 1 });
    expect(calls[0]?.[1]).toEqual({ tenantId: { value: 'lkc-a' }, filter: { resourceType: 1, resourceName: undefined, patternType: 1, principal: 'User:ak-1', host: undefined, operation: 1, permissionType: 1 } });
    expect(response['errorCode']).toBe(0);
    expect(response['resources']).toEqual(groupByResource([binding('a'), binding('a', 4), binding('b')]));
    expect((response['resources'] as Array<{ acls: unknown[] }>).map((r) => r.acls.length)).toEqual([2, 1]);
  });

  it('DeleteAcls reports the matched bindings per filter; an unreachable metadata service is a retriable timeout for each', async () => {
    const calls: Array<[string, unknown]> = [];
    const ok = aclHandlers({ metadata: fakeClient({ deleteAcls: { results: [{ matched: [binding('a')] }] } }, calls) });
    const filter = { resourceTypeFilter: 2, resourceNameFilter: 'a', patternTypeFilter: 3, principalFilter: null, hostFilter: null, operation: 1, permissionType: 1 };
    const response = await respond(ok, 31, { filters: [filter] });
    expect(response['filterResults']).toEqual([
      { errorCode: 0, errorMessage: null, matchingAcls: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'a', patternType: 3, principal: 'User:ak-1', host: '*', operation: 3, permissionType: 3 }] },
    ]);
    const down = Object.assign(new Error('unavailable'), { code: status.UNAVAILABLE, details: '', metadata: { get: () => [] } }) as unknown as ServiceError;
    const failing = aclHandlers({ metadata: fakeClient({ deleteAcls: down }, []) });
    const failed = await respond(failing, 31, { filters: [filter, filter] });
    expect((failed['filterResults'] as Array<{ errorCode: number }>).map((r) => r.errorCode)).toEqual([ErrorCode.REQUEST_TIMED_OUT, ErrorCode.REQUEST_TIMED_OUT]);
  });
});

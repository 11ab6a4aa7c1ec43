// KIP-430 end to end on the wire: a real router listener (SASL/PLAIN, real codecs, the client's
// real address as ctx.clientHost) with the guard around the real Metadata and FindCoordinator
// handlers, and @platformatic/kafka's Admin.describeGroups({ includeAuthorizedOperations: true })
// as the client. DescribeGroups itself is answered by a stand-in coordinator that, like a Stratus
// broker, knows no ACLs and always answers INT32_MIN: every bit the client reads comes from the
// guard's decision for that principal, at that address.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { AclBinding } from '@stratus/kafka-acls';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from '@stratus/kafka-messages';
import { createLogger } from '@stratus/platform-logging';
import { InMemoryClusterView } from '@stratus/router-cluster-view';
import {
  InMemoryCredentialSource,
  clusterMetadataHandler,
  findCoordinatorHandler,
  startKafkaListener,
  tenantId,
  type ApiHandler,
  type KafkaListener,
} from '@stratus/router-kafka-server';
import { StaticAclAuthority } from './authority';
import { OPERATIONS_NOT_REQUESTED, operationsBitField } from './authorized-operations';
import { guardHandlers } from './guard';

const TENANT = 'lkc-ops-it';
const logger = createLogger({ service: 'acls-ops-it', level: 'warn', destination: { write: () => undefined } });
const credentials = new InMemoryCredentialSource([
  { username: 'alice', password: 'alice-secret', tenantId: tenantId(TENANT) },
  { username: 'root', password: 'root-secret', tenantId: tenantId(TENANT) },
]);

const group = (p: Partial<AclBinding> & Pick<AclBinding, 'name' | 'operation'>): AclBinding => ({
  resourceType: 'GROUP',
  patternType: 'LITERAL',
  principal: 'User:alice',
  host: '*',
  permissionType: 'ALLOW',
  ...p,
});

const authority = new StaticAclAuthority({
  bindings: {
    [TENANT]: [
      group({ name: 'app-', patternType: 'PREFIXED', operation: 'READ' }),
      // Bound to the loopback address the client connects from: the guard must see it.
      group({ name: 'app-admin', operation: 'DELETE', host: '127.0.0.1' }),
      group({ name: 'app-other-host', operation: 'DELETE', host: '10.9.9.9' }),
      group({ name: 'app-locked', operation: 'READ', permissionType: 'DENY' }),
    ],
  },
  superUsers: ['root'],
});

/** A coordinator without ACL knowledge: every group Stable, empty, INT32_MIN (as brokers answer). */
const coordinator: ApiHandler = {
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 5,
  async handle(_ctx, raw) {
    const request = raw as DescribeGroupsRequest;
    const response: DescribeGroupsResponse = {
      throttleTimeMs: 0,
      groups: request.groups.map((groupId) => ({ errorCode: 0, errorMessage: null, groupId, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range', members: [], authorizedOperations: OPERATIONS_NOT_REQUESTED })),
    };
    return { response };
  },
};

let listener: KafkaListener;
let view: InMemoryClusterView | undefined;

/** The cluster handlers need the listener's port in their view, known only once it listens. */
function late(apiKey: number, name: string, make: (v: InMemoryClusterView) => ApiHandler): ApiHandler {
  let inner: ApiHandler | undefined;
  return {
    apiKey,
    name,
    minVersion: 0,
    maxVersion: apiKey === 3 ? 12 : 6,
    async handle(ctx, request) {
      if (!view) throw new Error('view not ready');
      inner ??= make(view);
      return inner.handle(ctx, request);
    },
  };
}

beforeAll(async () => {
  const handlers = guardHandlers(
    [late(3, 'Metadata', (v) => clusterMetadataHandler({ view: v })), late(10, 'FindCoordinator', (v) => findCoordinatorHandler({ view: v })), coordinator],
    { authority, logger },
  );
  listener = await startKafkaListener({ credentials, logger, handlers, host: '127.0.0.1', port: 0 });
  view = new InMemoryClusterView({ self: { nodeId: 'router-1', kafkaNodeId: 1, host: '127.0.0.1', port: listener.port, availabilityZone: 'a' } });
});

afterAll(async () => {
  await listener?.close();
});

interface Described {
  ok: boolean;
  groups?: Array<[string, number]>;
  message?: string;
  codes?: number[];
}

function describeGroups(user: string, password: string, groups: string[]): Promise<Described> {
  const script = join(__dirname, '__fixtures__', 'platformatic-operations.mjs');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, String(listener.port), user, password, JSON.stringify(groups)], { timeout: 90_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() as string) as Described);
    });
  });
}

describe('authorised operations with a real client (@platformatic/kafka describeGroups)', () => {
  it('reads each group\'s operations from alice\'s ACLs, host-bound bindings by her real address', async () => {
    const result = await describeGroups('alice', 'alice-secret', ['app-1', 'app-admin', 'app-other-host', 'open']);
    expect(result.message).toBeUndefined();
    expect(Object.fromEntries(result.groups ?? [])).toEqual({
      'app-1': operationsBitField(['READ', 'DESCRIBE']),
      'app-admin': operationsBitField(['READ', 'DESCRIBE', 'DELETE']),
      'app-other-host': operationsBitField(['READ', 'DESCRIBE']),
      // No binding names "open": allow.everyone.if.no.acl.found.
      open: operationsBitField(['READ', 'DESCRIBE', 'DELETE']),
    });
  });

  it('DENY READ takes READ and leaves DESCRIBE (a DENY implies nothing)', async () => {
    const result = await describeGroups('alice', 'alice-secret', ['app-locked']);
    // READ is denied; DESCRIBE, implied by the prefixed ALLOW READ, stays: a DENY READ does not
    // deny DESCRIBE (Kafka's authorizer).
    expect(Object.fromEntries(result.groups ?? [])).toEqual({ 'app-locked': operationsBitField(['DESCRIBE']) });
  });

  it('a super user reads READ, DESCRIBE and DELETE everywhere', async () => {
    const result = await describeGroups('root', 'root-secret', ['app-locked', 'app-1']);
    expect(Object.fromEntries(result.groups ?? [])).toEqual({ 'app-locked': operationsBitField(['READ', 'DESCRIBE', 'DELETE']), 'app-1': operationsBitField(['READ', 'DESCRIBE', 'DELETE']) });
  });
});

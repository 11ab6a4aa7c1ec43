import { status } from '@grpc/grpc-js';
import type { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { AlterClientQuotasResponse, DescribeClientQuotasResponse } from '@stratus/kafka-messages';
import { FakeMetadata, contextFor, handlerFor, kafkaFailure, respond } from './testing.testkit';

/** A metadata fake holding one tenant's configured quotas, with a revision for compare-and-set. */
function quotaMetadata(initial: metadataV1.TenantQuotas = {}, defaults: metadataV1.TenantQuotas = { produceBytesPerSecond: 5_000_000n }) {
  const state = { configured: initial, revision: 7n, conflicts: 0 };
  const md = new FakeMetadata()
    .answer('getQuotas', () => ({ configured: state.configured, effective: { ...defaults, ...state.configured }, revision: state.revision }))
    .answer('setQuotas', (req: metadataV1.SetQuotasRequest) => {
      if (state.conflicts > 0) {
        state.conflicts--;
        state.revision++;
        throw kafkaFailure(ErrorCode.INVALID_UPDATE_VERSION);
      }
      if (req.expectedRevision !== state.revision) throw kafkaFailure(ErrorCode.INVALID_UPDATE_VERSION);
      if (!req.validateOnly) {
        state.configured = req.quotas ?? {};
        state.revision++;
      }
      return { configured: state.configured, effective: { ...defaults, ...state.configured }, revision: state.revision };
    });
  return { md, state };
}

const DEFAULT_USER = [{ entityType: 'user', entityName: null }];

describe('DescribeClientQuotas', () => {
  const describe_ = (md: FakeMetadata, components: unknown[], strict = false) =>
    respond<DescribeClientQuotasResponse>(handlerFor(48, { metadata: md.client }), { components, strict }, contextFor('t-1'));

  it('answers the tenant quotas in force as the default user entity, with Kafka key names', async () => {
    const { md } = quotaMetadata({ partitionMutationsPerSecond: 4 });
    const res = await describe_(md, [{ entityType: 'user', matchType: 1, match: null }]);
    expect(res.errorCode).toBe(0);
    expect(res.entries).toEqual([
      {
        entity: DEFAULT_USER,
        values: [
          { key: 'producer_byte_rate', value: 5_000_000 },
          { key: 'controller_mutation_rate', value: 4 },
        ],
      },
    ]);
    expect((md.calls[0]?.request as metadataV1.GetQuotasRequest).tenantId?.value).toBe('t-1');
  });

  it('matches KIP-546 filters: empty non-strict matches all, strict empty matches nothing, named users / client ids match nothing', async () => {
    const { md } = quotaMetadata();
    expect((await describe_(md, [])).entries).toHaveLength(1);
    expect((await describe_(md, [], true)).entries).toEqual([]);
    expect((await describe_(md, [{ entityType: 'user', matchType: 0, match: 'alice' }])).entries).toEqual([]);
    expect((await describe_(md, [{ entityType: 'user', matchType: 2, match: null }])).entries).toEqual([]);
    expect((await describe_(md, [{ entityType: 'client-id', matchType: 1, match: null }])).entries).toEqual([]);
    expect((await describe_(md, [{ entityType: 'user', matchType: 1, match: null }], true)).entries).toHaveLength(1);
  });

  it('INVALID_REQUEST for an unknown entity type, a repeated type or an exact match without a name', async () => {
    const { md } = quotaMetadata();
    for (const components of [
      [{ entityType: 'group', matchType: 1, match: null }],
      [
        { entityType: 'user', matchType: 1, match: null },
        { entityType: 'user', matchType: 2, match: null },
      ],
      [{ entityType: 'user', matchType: 0, match: null }],
    ]) {
      const res = await describe_(md, components);
      expect([res.errorCode, res.entries]).toEqual([ErrorCode.INVALID_REQUEST, null]);
    }
  });

  it('metadata unreachable answers REQUEST_TIMED_OUT', async () => {
    const md = new FakeMetadata().answer('getQuotas', () => {
      throw Object.assign(new Error('down'), { code: status.UNAVAILABLE, details: 'down', metadata: { get: () => [] } });
    });
    expect((await describe_(md, [])).errorCode).toBe(ErrorCode.REQUEST_TIMED_OUT);
  });
});

describe('AlterClientQuotas', () => {
  const alter = (md: FakeMetadata, entries: unknown[], validateOnly = false) =>
    respond<AlterClientQuotasResponse>(handlerFor(49, { metadata: md.client }), { entries, validateOnly }, contextFor('t-1'));

  it('sets and removes keys of the default user entity as the tenant quotas, compare-and-set on the revision', async () => {
    const { md, state } = quotaMetadata({ fetchBytesPerSecond: 10n, maxPartitions: 50 });
    const res = await alter(md, [
      {
        entity: DEFAULT_USER,
        ops: [
          { key: 'producer_byte_rate', value: 1048576, remove: false },
          { key: 'controller_mutation_rate', value: 3, remove: false },
          { key: 'consumer_byte_rate', value: 0, remove: true },
        ],
      },
    ]);
    expect(res.entries).toEqual([{ errorCode: 0, errorMessage: null, entity: DEFAULT_USER }]);
    // Quotas Kafka has no key for (max_partitions) are kept.
    expect(state.configured).toEqual({ maxPartitions: 50, produceBytesPerSecond: 1048576n, partitionMutationsPerSecond: 3 });
    const sent = md.calls.find((c) => c.method === 'setQuotas')?.request as metadataV1.SetQuotasRequest;
    expect(sent.expectedRevision).toBe(7n);
  });

  it('validate_only changes nothing', async () => {
    const { md, state } = quotaMetadata();
    const res = await alter(md, [{ entity: DEFAULT_USER, ops: [{ key: 'request_percentage', value: 200, remove: false }] }], true);
    expect(res.entries[0]?.errorCode).toBe(0);
    expect(state.configured).toEqual({});
    expect((md.calls.find((c) => c.method === 'setQuotas')?.request as metadataV1.SetQuotasRequest).validateOnly).toBe(true);
  });

  it('retries after a concurrent change to the tenant', async () => {
    const { md, state } = quotaMetadata();
    state.conflicts = 1;
    const res = await alter(md, [{ entity: DEFAULT_USER, ops: [{ key: 'connection_creation_rate', value: 9, remove: false }] }]);
    expect(res.entries[0]?.errorCode).toBe(0);
    expect(state.configured).toEqual({ connectionCreationsPerSecond: 9 });
  });

  it('INVALID_REQUEST per entry for unknown keys, other entities, duplicates and bad values; valid entries still apply', async () => {
    const { md, state } = quotaMetadata();
    const bad = [
      { entity: DEFAULT_USER, ops: [{ key: 'leader_replication_throttled_rate', value: 1, remove: false }] },
      { entity: [{ entityType: 'user', entityName: 'alice' }], ops: [{ key: 'producer_byte_rate', value: 1, remove: false }] },
      { entity: [{ entityType: 'client-id', entityName: null }], ops: [{ key: 'producer_byte_rate', value: 1, remove: false }] },
      { entity: [{ entityType: 'nope', entityName: null }], ops: [] },
      {
        entity: DEFAULT_USER,
        ops: [
          { key: 'producer_byte_rate', value: 1, remove: false },
          { key: 'producer_byte_rate', value: 2, remove: false },
        ],
      },
      { entity: DEFAULT_USER, ops: [{ key: 'producer_byte_rate', value: -1, remove: false }] },
      { entity: DEFAULT_USER, ops: [{ key: 'controller_mutation_rate', value: 0.5, remove: false }] },
    ];
    const good = { entity: DEFAULT_USER, ops: [{ key: 'consumer_byte_rate', value: 99, remove: false }] };
    const res = await alter(md, [...bad, good]);
    expect(res.entries.map((e) => e.errorCode)).toEqual([...bad.map(() => ErrorCode.INVALID_REQUEST), 0]);
    expect(res.entries[1]?.entity).toEqual([{ entityType: 'user', entityName: 'alice' }]);
    expect(state.configured).toEqual({ fetchBytesPerSecond: 99n });
  });
});

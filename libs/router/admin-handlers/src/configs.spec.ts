import { status } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { AlterConfigsResponse, DescribeConfigsResponse, IncrementalAlterConfigsResponse } from '@stratus/kafka-messages';
import type { ClusterView } from '@stratus/router-cluster-view';
import { FakeMetadata, contextFor, grpcFailure, handlerFor, respond } from './testing.testkit';

const entry: metadataV1.ConfigEntry = {
  name: 'retention.ms',
  value: '1000',
  readOnly: false,
  source: metadataV1.ConfigSource.DYNAMIC_TOPIC_CONFIG,
  sensitive: false,
  synonyms: [{ name: 'log.retention.ms', value: '604800000', source: metadataV1.ConfigSource.DEFAULT_CONFIG }],
  type: metadataV1.ConfigType.LONG,
  documentation: 'Time to keep data.',
};

function describing(): FakeMetadata {
  return new FakeMetadata().answer('describeConfigs', (req: metadataV1.DescribeConfigsRequest) => ({
    results: req.resources.map((r) =>
      r.resource?.name === 'missing'
        ? { resource: r.resource, error: { code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: 'unknown' }, configs: [] }
        : { resource: r.resource, error: { code: 0, message: '' }, configs: [entry, { ...entry, name: 'secret', sensitive: true }] },
    ),
  }));
}

describe('DescribeConfigs', () => {
  it('maps topic and broker resources to metadata and entries to the wire codes', async () => {
    const md = describing();
    const res = await respond<DescribeConfigsResponse>(handlerFor(32, { metadata: md.client }), {
      resources: [
        { resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms'] },
        { resourceType: 4, resourceName: '', configurationKeys: null },
        { resourceType: 2, resourceName: 'missing', configurationKeys: null },
      ],
      includeSynonyms: true,
      includeDocumentation: true,
    });
    const sent = md.calls[0]?.request as metadataV1.DescribeConfigsRequest;
    expect(sent.resources.map((r) => [r.resource?.type, r.resource?.name, r.configNames])).toEqual([
      [metadataV1.ConfigResourceType.TOPIC, 'orders', ['retention.ms']],
      [metadataV1.ConfigResourceType.BROKER, '', []],
      [metadataV1.ConfigResourceType.TOPIC, 'missing', []],
    ]);
    expect([sent.includeSynonyms, sent.includeDocumentation]).toEqual([true, true]);
    expect(res.results.map((r) => r.errorCode)).toEqual([0, 0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect(res.results[0]?.configs[0]).toEqual({
      name: 'retention.ms',
      value: '1000',
      readOnly: false,
      configSource: 1,
      isSensitive: false,
      synonyms: [{ name: 'log.retention.ms', value: '604800000', source: 5 }],
      configType: 5,
      documentation: 'Time to keep data.',
    });
    // A sensitive value never leaves the router.
    expect(res.results[0]?.configs[1]).toMatchObject({ name: 'secret', value: null, isSensitive: true, synonyms: [{ value: null }] });
  });

  it('accepts this router, any advertised router or "" as broker names; refuses others and unsupported types', async () => {
    const view = { routers: () => [{ kafkaNodeId: 7 }] } as unknown as ClusterView;
    const md = describing();
    const res = await respond<DescribeConfigsResponse>(
      handlerFor(32, { metadata: md.client, view }),
      {
        resources: ['3', '7', '8', 'x', ''].map((resourceName) => ({ resourceType: 4, resourceName, configurationKeys: null })).concat([
          { resourceType: 8, resourceName: '3', configurationKeys: null },
          { resourceType: 32, resourceName: 'g', configurationKeys: null },
        ]),
        includeSynonyms: false,
      },
      contextFor('t-1', 3),
    );
    expect(res.results.map((r) => r.errorCode)).toEqual([0, 0, ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST, 0, ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST]);
    expect((md.calls[0]?.request as metadataV1.DescribeConfigsRequest).includeDocumentation).toBe(false);
    expect(res.results[0]?.configs[0]?.documentation).toBeNull();
  });

  it('answers REQUEST_TIMED_OUT per resource when metadata is unreachable', async () => {
    const md = new FakeMetadata().answer('describeConfigs', () => {
      throw grpcFailure(status.UNAVAILABLE);
    });
    const res = await respond<DescribeConfigsResponse>(handlerFor(32, { metadata: md.client }), {
      resources: [{ resourceType: 2, resourceName: 'orders', configurationKeys: null }],
      includeSynonyms: false,
    });
    expect(res.results[0]).toMatchObject({ errorCode: ErrorCode.REQUEST_TIMED_OUT, resourceName: 'orders', configs: [] });
  });
});

describe('AlterConfigs and IncrementalAlterConfigs', () => {
  const ok = (req: { resources: Array<{ resource?: metadataV1.ConfigResource }> }) => ({ results: req.resources.map((r) => ({ resource: r.resource, error: { code: 0, message: '' } })) });

  it('forwards topic resources with validate_only; broker resources are read-only; duplicates and other types are invalid', async () => {
    const md = new FakeMetadata().answer('alterConfigs', ok);
    const res = await respond<AlterConfigsResponse>(handlerFor(33, { metadata: md.client }), {
      resources: [
        { resourceType: 2, resourceName: 'orders', configs: [{ name: 'retention.ms', value: '5' }] },
        { resourceType: 4, resourceName: '0', configs: [{ name: 'num.partitions', value: '3' }] },
        { resourceType: 2, resourceName: 'twice', configs: [] },
        { resourceType: 2, resourceName: 'twice', configs: [] },
        { resourceType: 32, resourceName: 'g', configs: [] },
        { resourceType: 2, resourceName: 'nulls', configs: [{ name: 'retention.ms', value: null }] },
      ],
      validateOnly: true,
    });
    expect(res.responses.map((r) => [r.resourceName, r.errorCode])).toEqual([
      ['orders', 0],
      ['0', ErrorCode.CLUSTER_AUTHORIZATION_FAILED],
      ['twice', ErrorCode.INVALID_REQUEST],
      ['twice', ErrorCode.INVALID_REQUEST],
      ['g', ErrorCode.INVALID_REQUEST],
      ['nulls', ErrorCode.INVALID_REQUEST],
    ]);
    const sent = md.calls[0]?.request as metadataV1.AlterConfigsRequest;
    expect(sent.validateOnly).toBe(true);
    expect(sent.resources).toEqual([{ resource: { type: metadataV1.ConfigResourceType.TOPIC, name: 'orders' }, configs: [{ name: 'retention.ms', value: '5' }] }]);
  });

  it('maps the KIP-339 operations and refuses an unknown one', async () => {
    const md = new FakeMetadata().answer('incrementalAlterConfigs', (req: metadataV1.IncrementalAlterConfigsRequest) => ({
      results: req.resources.map((r) => ({ resource: r.resource, error: { code: ErrorCode.INVALID_CONFIG, message: 'bad value' } })),
    }));
    const res = await respond<IncrementalAlterConfigsResponse>(handlerFor(44, { metadata: md.client }), {
      resources: [
        {
          resourceType: 2,
          resourceName: 'orders',
          configs: [
            { name: 'a', configOperation: 0, value: '1' },
            { name: 'b', configOperation: 1, value: null },
            { name: 'c', configOperation: 2, value: 'x' },
            { name: 'd', configOperation: 3, value: 'y' },
          ],
        },
        { resourceType: 2, resourceName: 'other', configs: [{ name: 'a', configOperation: 9, value: '1' }] },
      ],
      validateOnly: false,
    });
    const sent = md.calls[0]?.request as metadataV1.IncrementalAlterConfigsRequest;
    expect(sent.resources).toHaveLength(1);
    expect(sent.resources[0]?.configs.map((c) => [c.name, c.op, c.value])).toEqual([
      ['a', metadataV1.AlterConfigOp.SET, '1'],
      ['b', metadataV1.AlterConfigOp.DELETE, undefined],
      ['c', metadataV1.AlterConfigOp.APPEND, 'x'],
      ['d', metadataV1.AlterConfigOp.SUBTRACT, 'y'],
    ]);
    expect(res.responses.map((r) => [r.errorCode, r.errorMessage])).toEqual([
      [ErrorCode.INVALID_CONFIG, 'bad value'],
      [ErrorCode.INVALID_REQUEST, 'Unknown config operation 9 for a.'],
    ]);
  });
});

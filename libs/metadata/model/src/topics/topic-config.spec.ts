import { applyIncrementalAlter, describeTopicConfigs, validateTopicConfigs } from './topic-config';

function errorName(result: { ok: boolean; error?: { name: string } }): string | undefined {
  return result.ok ? undefined : result.error?.name;
}

describe('validateTopicConfigs', () => {
  it('accepts and normalises valid values', () => {
    const result = validateTopicConfigs({
      'cleanup.policy': 'compact, delete',
      'retention.ms': ' 1000 ',
      'retention.bytes': '-1',
      'local.retention.ms': '500',
      'segment.bytes': '1048576',
      'segment.ms': '60000',
      'max.message.bytes': '2000000',
      'message.timestamp.type': 'LogAppendTime',
      'min.insync.replicas': '2',
      'compression.type': 'zstd',
    });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value['cleanup.policy']).toBe('compact,delete');
      expect(result.value['retention.ms']).toBe('1000');
    }
  });

  it.each([
    [{ 'no.such.config': '1' }],
    [{ 'retention.ms': 'abc' }],
    [{ 'retention.ms': '-5' }],
    [{ 'retention.ms': '9223372036854775808' }],
    [{ 'segment.bytes': '1000' }],
    [{ 'segment.bytes': '3000000000' }],
    [{ 'max.message.bytes': '-1' }],
    [{ 'message.timestamp.type': 'createtime' }],
    [{ 'min.insync.replicas': '0' }],
    [{ 'min.insync.replicas': '4' }],
    [{ 'compression.type': 'brotli' }],
    [{ 'cleanup.policy': 'delete,forever' }],
    [{ 'cleanup.policy': '' }],
    [{ 'local.retention.ms': '-3' }],
    [{ 'retention.ms': '1000', 'local.retention.ms': '2000' }],
    [{ 'retention.ms': '1000', 'local.retention.ms': '-1' }],
    [{ 'retention.bytes': '100', 'local.retention.bytes': '200' }],
    [{ 'retention.ms': null }],
  ])('rejects %j with INVALID_CONFIG', (input) => {
    expect(errorName(validateTopicConfigs(input))).toBe('INVALID_CONFIG');
  });

  it('allows any local retention when total retention is unbounded', () => {
    expect(validateTopicConfigs({ 'retention.ms': '-1', 'local.retention.ms': '-1' }).ok).toBe(true);
    expect(validateTopicConfigs({ 'retention.ms': '-1', 'local.retention.ms': '99999999999' }).ok).toBe(true);
  });
});

describe('applyIncrementalAlter', () => {
  it('sets, deletes, appends and subtracts', () => {
    const result = applyIncrementalAlter({ 'retention.ms': '1000', 'segment.ms': '5000' }, [
      { name: 'retention.ms', op: 'DELETE' },
      { name: 'segment.ms', op: 'SET', value: '6000' },
      { name: 'cleanup.policy', op: 'APPEND', value: 'compact' },
    ]);
    expect(result).toEqual({ ok: true, value: { 'segment.ms': '6000', 'cleanup.policy': 'delete,compact' } });
    if (!result.ok) return;
    const after = applyIncrementalAlter(result.value, [{ name: 'cleanup.policy', op: 'SUBTRACT', value: 'delete' }]);
    expect(after).toEqual({ ok: true, value: { 'segment.ms': '6000', 'cleanup.policy': 'compact' } });
  });

  it('rejects append on a non-list config, unknown names, duplicates and empty subtraction', () => {
    expect(errorName(applyIncrementalAlter({}, [{ name: 'retention.ms', op: 'APPEND', value: '1' }]))).toBe('INVALID_CONFIG');
    expect(errorName(applyIncrementalAlter({}, [{ name: 'bogus', op: 'SET', value: '1' }]))).toBe('INVALID_CONFIG');
    expect(errorName(applyIncrementalAlter({}, [{ name: 'cleanup.policy', op: 'SUBTRACT', value: 'delete' }]))).toBe(
      'INVALID_CONFIG',
    );
    expect(
      errorName(
        applyIncrementalAlter({}, [
          { name: 'segment.ms', op: 'SET', value: '1' },
          { name: 'segment.ms', op: 'DELETE' },
        ]),
      ),
    ).toBe('INVALID_REQUEST');
  });

  it('validates the merged result across fields', () => {
    expect(errorName(applyIncrementalAlter({ 'local.retention.ms': '5000' }, [{ name: 'retention.ms', op: 'SET', value: '10' }]))).toBe(
      'INVALID_CONFIG',
    );
  });
});

describe('describeTopicConfigs', () => {
  it('reports defaults and explicit values with their source', () => {
    const entries = describeTopicConfigs({ 'retention.ms': '1000' });
    expect(entries.find((e) => e.name === 'retention.ms')).toMatchObject({ value: '1000', source: 'TOPIC_CONFIG', isDefault: false });
    expect(entries.find((e) => e.name === 'min.insync.replicas')).toMatchObject({ value: '2', source: 'DEFAULT_CONFIG', isDefault: true });
    expect(entries).toHaveLength(11);
    expect(describeTopicConfigs({}, ['segment.ms']).map((e) => e.name)).toEqual(['segment.ms']);
  });
});

import { metadataV1 } from '@stratus/contracts';
import { BROKER_SYNONYM, describeBrokerConfigs, topicSynonyms } from './configs-broker';

const entry = (name: string, value: string, source: metadataV1.ConfigSource): metadataV1.ConfigEntry => ({
  name,
  value,
  readOnly: false,
  source,
  sensitive: false,
  synonyms: [],
  type: metadataV1.ConfigType.LONG,
  documentation: '',
});

describe('topic config synonyms', () => {
  it('lists the topic override first, then the broker default it overrides', () => {
    expect(topicSynonyms(entry('retention.ms', '1000', metadataV1.ConfigSource.DYNAMIC_TOPIC_CONFIG))).toEqual([
      { name: 'retention.ms', value: '1000', source: metadataV1.ConfigSource.DYNAMIC_TOPIC_CONFIG },
      { name: 'log.retention.ms', value: '604800000', source: metadataV1.ConfigSource.DEFAULT_CONFIG },
    ]);
  });

  it('lists only the broker default for a topic config at its default', () => {
    expect(topicSynonyms(entry('segment.ms', '604800000', metadataV1.ConfigSource.DEFAULT_CONFIG))).toEqual([
      { name: 'log.roll.ms', value: '604800000', source: metadataV1.ConfigSource.DEFAULT_CONFIG },
    ]);
  });
});

describe('broker configs of a tenant', () => {
  it('are the read-only defaults behind every topic config, plus the cluster-only ones', () => {
    const all = describeBrokerConfigs({ names: [], includeSynonyms: false, includeDocumentation: false });
    const names = all.map((c) => c.name);
    for (const broker of BROKER_SYNONYM.values()) expect(names).toContain(broker);
    expect(all.find((c) => c.name === 'default.replication.factor')?.value).toBe('3');
    expect(all.every((c) => c.readOnly && c.source === metadataV1.ConfigSource.DEFAULT_CONFIG && c.documentation === '' && c.synonyms.length === 0)).toBe(true);
  });

  it('honours the asked names (unknown ones left out), synonyms and documentation flags', () => {
    const some = describeBrokerConfigs({ names: ['message.max.bytes', 'no.such.config'], includeSynonyms: true, includeDocumentation: true });
    expect(some).toHaveLength(1);
    expect(some[0]).toMatchObject({ name: 'message.max.bytes', value: '1048588', type: metadataV1.ConfigType.INT });
    expect(some[0]?.synonyms).toEqual([{ name: 'message.max.bytes', value: '1048588', source: metadataV1.ConfigSource.DEFAULT_CONFIG }]);
    expect(some[0]?.documentation).not.toBe('');
  });
});

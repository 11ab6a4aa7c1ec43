import { renderServerProperties, scramFormatArgs, validateUser } from './config';
import { renderFetchPom } from './maven';

function parse(text: string): Map<string, string> {
  return new Map(
    text
      .trim()
      .split('\n')
      .map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1)] as [string, string];
      }),
  );
}

const base = {
  nodeId: 2,
  ports: { internal: 9001, plaintext: 9002, sasl: 9003, controller: 9004 },
  voters: [
    { nodeId: 1, controllerPort: 8004 },
    { nodeId: 2, controllerPort: 9004 },
    { nodeId: 3, controllerPort: 10004 },
  ],
  logDir: '/tmp/x/data',
  advertised: { plaintext: { host: '127.0.0.1', port: 7002 }, sasl: { host: '127.0.0.1', port: 7003 } },
  plainUsers: [{ name: 'alice', password: 'alice-secret' }],
  clusterSize: 3,
};

describe('renderServerProperties', () => {
  it('binds every listener on loopback and advertises the client listeners where asked', () => {
    const props = parse(renderServerProperties(base));
    expect(props.get('listeners')).toBe(
      'INTERNAL://127.0.0.1:9001,CLIENT://127.0.0.1:9002,SASL_CLIENT://127.0.0.1:9003,CONTROLLER://127.0.0.1:9004',
    );
    expect(props.get('advertised.listeners')).toBe('INTERNAL://127.0.0.1:9001,CLIENT://127.0.0.1:7002,SASL_CLIENT://127.0.0.1:7003');
    expect(props.get('inter.broker.listener.name')).toBe('INTERNAL');
  });

  it('lists every node as a static voter and sizes internal topics to the cluster', () => {
    const props = parse(renderServerProperties(base));
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:8004,2@127.0.0.1:9004,3@127.0.0.1:10004');
    expect(props.get('node.id')).toBe('2');
    expect(props.get('offsets.topic.replication.factor')).toBe('3');
    expect(props.get('transaction.state.log.min.isr')).toBe('2');
    const single = parse(renderServerProperties({ ...base, clusterSize: 1 }));
    expect(single.get('offsets.topic.replication.factor')).toBe('1');
    expect(single.get('transaction.state.log.min.isr')).toBe('1');
  });

  it('enables PLAIN and both SCRAM mechanisms on the SASL listener with the PLAIN user table', () => {
    const props = parse(renderServerProperties(base));
    expect(props.get('sasl.enabled.mechanisms')).toBe('PLAIN,SCRAM-SHA-256,SCRAM-SHA-512');
    expect(props.get('listener.name.sasl_client.plain.sasl.jaas.config')).toBe(
      'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="alice-secret";',
    );
    expect(props.get('listener.name.sasl_client.scram-sha-512.sasl.jaas.config')).toContain('ScramLoginModule');
  });

  it('lets overrides win', () => {
    const props = parse(renderServerProperties({ ...base, overrides: { 'num.partitions': '6' } }));
    expect(props.get('num.partitions')).toBe('6');
  });
});

describe('credentials', () => {
  it('builds StorageTool --add-scram arguments for both SHA variants', () => {
    expect(scramFormatArgs([{ name: 'bob', password: 'pw' }])).toEqual([
      '--add-scram',
      'SCRAM-SHA-256=[name=bob,password=pw]',
      '--add-scram',
      'SCRAM-SHA-512=[name=bob,password=pw]',
    ]);
  });

  it('refuses characters that are syntax in JAAS or StorageTool arguments', () => {
    expect(() => validateUser({ name: 'a"b', password: 'x' })).toThrow(/must match/);
    expect(() => validateUser({ name: 'ok', password: 'p,w]' })).toThrow(/must match/);
    expect(() => renderServerProperties({ ...base, plainUsers: [{ name: 'x y', password: 'z' }] })).toThrow(/must match/);
  });
});

describe('renderFetchPom', () => {
  it('declares each coordinate as a dependency', () => {
    const pom = renderFetchPom(['org.apache.kafka:kafka_2.13:4.4.0', 'org.example:thing:1.0']);
    expect(pom).toContain('<groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>4.4.0</version>');
    expect(pom).toContain('<artifactId>thing</artifactId>');
  });

  it('rejects malformed coordinates', () => {
    expect(() => renderFetchPom(['org.apache.kafka:kafka_2.13' as `${string}:${string}:${string}`])).toThrow(/invalid Maven coordinate/);
    expect(() => renderFetchPom(['a:b:<c>'])).toThrow(/invalid Maven coordinate/);
  });
});

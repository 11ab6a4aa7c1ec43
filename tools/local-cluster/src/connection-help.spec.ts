import { execFileSync } from 'node:child_process';
import { connectionHelp, javaClientProperties, kcatBase } from './connection-help';

const credentials = {
  bootstrap: '127.0.0.1:9092',
  saslMechanism: 'SCRAM-SHA-256' as const,
  username: 'KEY1',
  password: `p'a"s\\s`,
  tenant: 'default',
  metadataAddress: '127.0.0.1:7001',
};

describe('connection help', () => {
  it('prints bootstrap, mechanism, username, password, kcat produce/consume and Java console commands', () => {
    const lines = connectionHelp(credentials, { clientPropertiesShownAs: '.stratus/local/client.properties' }).join('\n');
    expect(lines).toContain('127.0.0.1:9092');
    expect(lines).toContain('SCRAM-SHA-256');
    expect(lines).toContain('KEY1');
    expect(lines).toContain(credentials.password);
    expect(lines).toMatch(/^ {2}echo hello \| kcat .* -t demo -P$/m);
    expect(lines).toMatch(/^ {2}kcat .* -t demo -C -o beginning -e$/m);
    expect(lines).toContain('--producer.config .stratus/local/client.properties');
    expect(lines).toContain('--consumer.config .stratus/local/client.properties');
  });

  it('quotes the password so a shell passes it to kcat unchanged', () => {
    // Let a real shell split the printed command and echo back the sasl.password argument.
    const command = kcatBase(credentials).replace(/^kcat /, 'printf "%s\\n" ');
    const args = execFileSync('sh', ['-c', command], { encoding: 'utf8' }).split('\n');
    expect(args).toContain(`sasl.password=${credentials.password}`);
    expect(args).toContain('sasl.username=KEY1');
  });

  it('writes Java client properties with an escaped JAAS password', () => {
    const props = javaClientProperties(credentials);
    expect(props).toContain('security.protocol=SASL_PLAINTEXT\n');
    expect(props).toContain('sasl.mechanism=SCRAM-SHA-256\n');
    expect(props).toContain(`sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="KEY1" password="p'a\\"s\\\\s";`);
    expect(javaClientProperties({ ...credentials, saslMechanism: 'PLAIN' })).toContain('PlainLoginModule');
  });
});

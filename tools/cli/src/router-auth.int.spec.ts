// Issue 10's acceptance check for the CLI: keys made with `stratus api-keys create` authenticate
// a real Kafka client at a real router immediately, and after `stratus api-keys revoke` new
// connections fail (once the router's credential cache entry has expired).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { makeTempDir, sleep, startApp, startEtcd, useHarness, workspaceRoot, routerKafkaPort } from '@stratus/platform-testing';

jest.setTimeout(240_000);

const CREDENTIAL_CACHE_TTL_MS = 500;
const BIN = join(workspaceRoot(), 'tools', 'cli', 'bin', 'stratus.js');

function stratus(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('stratus-made API keys at a real router', () => {
  useHarness();
  let bootstrap: string;
  let metadataAddress: string;
  let cwd: string;

  beforeAll(async () => {
    const etcd = await startEtcd();
    const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
    await metadata.waitReady();
    metadataAddress = metadata.grpcAddress;
    const router = await startApp('router', {
      env: { STRATUS_METADATA_ADDRESS: metadataAddress, STRATUS_KAFKA_PORT: '0', STRATUS_CREDENTIAL_CACHE_TTL_MS: String(CREDENTIAL_CACHE_TTL_MS) },
    });
    await router.waitReady();
    bootstrap = `127.0.0.1:${await routerKafkaPort(router, { timeoutMs: 5_000 })}`;
    cwd = (await makeTempDir('stratus-cli-router')).path;
  });

  const kafka = (mechanism: SASLOptions['mechanism'], username: string, password: string) =>
    new Kafka({ clientId: 'stratus-cli-it', brokers: [bootstrap], sasl: { mechanism, username, password } as SASLOptions, logLevel: logLevel.NOTHING, retry: { retries: 0 } });

  it('npx stratus tenants create acme && npx stratus api-keys create acme give working credentials; revoke cuts new connections', async () => {
    expect((await stratus(['--metadata', metadataAddress, 'tenants', 'create', 'acme'], cwd)).code).toBe(0);
    const created = await stratus(['--metadata', metadataAddress, 'api-keys', 'create', 'acme', '--json'], cwd);
    expect(created.code).toBe(0);
    const { keyId, secret } = JSON.parse(created.stdout) as { keyId: string; secret: string };
    const mechanisms: SASLOptions['mechanism'][] = ['plain', 'scram-sha-256', 'scram-sha-512'];
    for (const mechanism of mechanisms) {
      const admin = kafka(mechanism, keyId, secret).admin();
      await admin.connect();
      await admin.disconnect();
    }
    const revoked = await stratus(['--metadata', metadataAddress, 'api-keys', 'revoke', 'acme', keyId], cwd);
    expect(revoked).toMatchObject({ code: 0, stderr: '' });
    await sleep(CREDENTIAL_CACHE_TTL_MS * 2);
    for (const mechanism of mechanisms) {
      const admin = kafka(mechanism, keyId, secret).admin();
      await expect(admin.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
      await admin.disconnect();
    }
  });
});

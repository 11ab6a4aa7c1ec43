// Runs `npm start`'s program for real (etcd + ten service processes), stops it with SIGTERM and
// checks that it exits cleanly and leaves no process behind (issue #10 acceptance).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useHarness } from '@stratus/platform-testing';
import { Kafka, logLevel } from 'kafkajs';
import { launchLocalCluster, spawnLocalCluster } from './launch.testkit';

useHarness();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('local cluster (npm start)', () => {
  it('starts every service, and SIGTERM stops them all with exit code 0', async () => {
    const launched = await launchLocalCluster('local-cluster');
    const { child, exited, kafkaPorts } = launched;
    const dir = { path: launched.dataDir };
    const output = launched.output();
    const bootstrap = `127.0.0.1:${kafkaPorts.split(',')[0]}`;
    const { services } = JSON.parse(readFileSync(join(dir.path, 'services.json'), 'utf8')) as {
      services: { id: string; pid: number }[];
    };
    expect(services.map((s) => s.id).sort()).toEqual(
      ['broker-a', 'broker-b', 'metadata', 'replication-a', 'replication-b', 'replication-c', 'router-a', 'router-b', 'router-c', 'tiered-storage'].sort(),
    );
    for (const service of services) expect(alive(service.pid)).toBe(true);

    // The tenant `default` and its API key are saved where `npm start` says, and they work.
    const cluster = JSON.parse(readFileSync(join(dir.path, 'cluster.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(cluster).sort()).toEqual(['bootstrap', 'metadataAddress', 'password', 'saslMechanism', 'tenant', 'username']);
    expect(readFileSync(join(dir.path, 'client.properties'), 'utf8')).toContain(`sasl.mechanism=SCRAM-SHA-256`);
    expect(cluster).toMatchObject({ bootstrap, saslMechanism: 'SCRAM-SHA-256', tenant: 'default' });
    expect(output).toContain('security.protocol=SASL_PLAINTEXT');
    const admin = new Kafka({
      clientId: 'local-cluster-it',
      brokers: [cluster['bootstrap'] ?? ''],
      sasl: { mechanism: 'scram-sha-256', username: cluster['username'] ?? '', password: cluster['password'] ?? '' },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    await admin.connect();
    await expect(admin.listTopics()).resolves.toEqual([]);
    await admin.disconnect();

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const service of services) expect(alive(service.pid)).toBe(false);
    expect(readFileSync(join(dir.path, 'logs', 'combined.log'), 'utf8')).toMatch(/metadata\s+INFO\s+ready/);

    // A second start on the same data keeps the saved key, since metadata (etcd) still verifies it.
    const again = spawnLocalCluster(dir.path, kafkaPorts, ['--exit-when-ready']);
    expect(await again.exited).toBe(0);
    const againOutput = again.output();
    expect(againOutput).toContain(`with the saved API key ${cluster['username']}`);
    // Same tenant and key; only the metadata address moves (every start picks free ports).
    const { metadataAddress: _moved, ...savedAgain } = JSON.parse(readFileSync(join(dir.path, 'cluster.json'), 'utf8')) as Record<string, string>;
    const { metadataAddress: _first, ...savedFirst } = cluster;
    expect(savedAgain).toEqual(savedFirst);
  }, 300_000);
});

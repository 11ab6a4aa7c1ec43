import { startEtcd, useHarness } from './index';

describe('startEtcd', () => {
  useHarness();

  it('starts a real etcd that answers put/get through the etcd3 client', async () => {
    const etcd = await startEtcd();
    expect(etcd.endpoints).toEqual([etcd.clientUrl]);
    expect(etcd.clientUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = etcd.client();
    await client.put('/stratus/test/a').value('1');
    expect(await client.get('/stratus/test/a').string()).toBe('1');
  });

  it('keeps data, name and ports across restart(), also after a crash', async () => {
    const etcd = await startEtcd();
    const client = etcd.client();
    await client.put('/stratus/test/durable').value('kept');
    const firstPid = etcd.process.pid;

    await etcd.restart();
    expect(etcd.process.pid).not.toBe(firstPid);
    expect(await client.get('/stratus/test/durable').string()).toBe('kept');

    // A SIGKILL is a crash: etcd must recover from its WAL on the same data dir.
    etcd.kill('SIGKILL');
    await etcd.process.exited;
    await etcd.restart();
    expect(await client.get('/stratus/test/durable').string()).toBe('kept');
  });

  it('stop() ends etcd cleanly', async () => {
    const etcd = await startEtcd();
    const result = await etcd.stop();
    expect(result.escalatedToSigkill).toBe(false);
    expect(etcd.process.running).toBe(false);
  });

  it('supports compaction: old revisions become unreadable', async () => {
    const etcd = await startEtcd();
    const client = etcd.client();
    await client.put('/k').value('v1');
    await client.put('/k').value('v2');
    const latest = await client.get('/k').exec();
    const revision = latest.header.revision;
    await client.put('/k').value('v3');
    await client.kv.compact({ revision, physical: true });
    await expect(client.get('/k').revision(Number(revision) - 1).exec()).rejects.toThrow(/compacted/);
  });

  it('runs two etcds side by side on different ports and data dirs', async () => {
    const [a, b] = await Promise.all([startEtcd(), startEtcd()]);
    expect(a.clientUrl).not.toBe(b.clientUrl);
    expect(a.peerUrl).not.toBe(b.peerUrl);
    expect(a.dataDir).not.toBe(b.dataDir);
    await a.client().put('/only-in-a').value('x');
    expect(await b.client().get('/only-in-a').string()).toBeNull();
  });
});

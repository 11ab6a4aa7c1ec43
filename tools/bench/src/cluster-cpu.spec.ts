import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterServices, cpuByApp, cpuSpent, LOAD_GENERATOR, PathCost, withLoadGenerator } from './cluster-cpu';

describe('cluster CPU accounting', () => {
  it('reads the services of a cluster and this process CPU under its app', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cluster-cpu-'));
    writeFileSync(join(dir, 'services.json'), JSON.stringify({ etcd: [], services: [{ id: 'r', app: 'router', pid: process.pid }, { id: 'gone', app: 'broker', pid: 2 ** 22 + 7 }] }));
    const services = clusterServices(dir);
    const before = cpuByApp(services);
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += i % 7;
    const spent = cpuSpent(before, cpuByApp(services));
    expect(x).toBeGreaterThan(0);
    expect(spent.get('router')).toBeGreaterThanOrEqual(0);
    // A pid that does not exist is skipped, not counted as zero CPU of a live process.
    expect(spent.has('broker')).toBe(false);
  });

  it("adds this process's own CPU as the load generator's, keeping the services' readings", () => {
    const before = withLoadGenerator(new Map([['router', 5]]));
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += i % 7;
    const spent = cpuSpent(before, withLoadGenerator(new Map([['router', 7]])));
    expect(x).toBeGreaterThan(0);
    expect(spent.get('router')).toBe(2);
    // 2e7 loop iterations take CPU time of this very process.
    expect(spent.get(LOAD_GENERATOR)).toBeGreaterThan(0);
  });

  it('gives CPU seconds per MB over the windows of a path, for the apps asked', () => {
    const cost = new PathCost();
    cost.add(new Map([['router', 1], ['broker', 2], ['replication', 3]]), 10);
    cost.add(new Map([['router', 1], ['broker', 2]]), 10);
    expect(cost.perMB(['router'])).toBeCloseTo(0.1);
    expect(cost.perMB(['broker', 'replication'])).toBeCloseTo(0.35);
    expect(new PathCost().perMB(['router'])).toBeNaN();
  });
});

// Pins the processes of a local cluster to CPUs with taskset(1), for benchmarks that must tell a
// service's own limit apart from CPU it takes from the others on a shared machine. In a deployment
// every service has pods (and cores) of its own; on this 2-core machine they all compete, so a
// router's CPU is subtracted from the brokers' and replication nodes' in every shared-core run.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterServices } from './cluster-cpu';

/** Every descendant of `rootPid` (children, grandchildren ...), from /proc. */
export function descendantsOf(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name in parentheses (which may hold spaces): state, ppid, ...
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const child of children.get(pid) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** Sets the CPU affinity of every thread of `pid` (taskset -a -p -c). */
export function pin(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

export interface Placement {
  readonly routerCpus: string;
  readonly serverCpus: string;
  readonly routers: number;
  readonly servers: number;
}

/**
 * Puts the cluster's routers (and the calling process, the load generator) on `routerCpus` and
 * everything else the cluster runs (brokers, replication, metadata, tiered storage, etcd, the
 * supervisor) on `serverCpus`. Reads the pids from the local cluster's services.json.
 */
export function separateRoutersFromServers(options: { clusterPid: number; dataDir: string; routerCpus: string; serverCpus: string }): Placement {
  const services = clusterServices(options.dataDir);
  const routerPids = new Set(services.filter((s) => s.app === 'router').map((s) => s.pid));
  if (routerPids.size === 0) throw new Error(`no router in ${options.dataDir}/services.json`);
  const serverPids = [options.clusterPid, ...descendantsOf(options.clusterPid)].filter((pid) => !routerPids.has(pid));
  for (const pid of serverPids) {
    try {
      pin(pid, options.serverCpus);
    } catch {
      // A short-lived helper process (a shell, an npx) may have exited since the scan.
    }
  }
  for (const pid of routerPids) pin(pid, options.routerCpus);
  pin(process.pid, options.routerCpus);
  return { routerCpus: options.routerCpus, serverCpus: options.serverCpus, routers: routerPids.size, servers: serverPids.length };
}

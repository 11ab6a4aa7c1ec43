// The processes of a local cluster: the shape issue #10 asks for — one metadata node, three
// replication nodes in AZs a/b/c, two brokers, one tiered-storage node and one router per AZ —
// each its own process, so failures and restarts behave as they do on Kubernetes.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type AppName = 'router' | 'broker' | 'metadata' | 'replication' | 'tiered-storage';

export interface ServiceSpec {
  /** Unique label, e.g. `replication-b`; also the log file name. */
  readonly id: string;
  readonly app: AppName;
  readonly az: string;
  /** Extra STRATUS_* settings beyond ports, identity and etcd. */
  readonly env: Readonly<Record<string, string>>;
  /** Ports the service binds besides its gRPC and admin ports (a router's Kafka port), kept out of the ones the supervisor picks. */
  readonly ports?: readonly number[];
}

export const AZS = ['a', 'b', 'c'] as const;
export const LOCAL_CELL = 'local';

/** Kafka ports of the routers in AZs a, b, c; clients bootstrap from the first (issue #10: 9092). */
export type RouterKafkaPorts = readonly [number, number, number];

export interface TopologyOptions {
  /** The tiered-storage node's object store; default a folder under dataDir (the file:// backend). */
  readonly objectStoreUrl?: string;
  /** Extra environment per app, applied last (wins over the defaults here). */
  readonly serviceEnv?: Readonly<Partial<Record<AppName, Readonly<Record<string, string>>>>>;
}

export function localTopology(dataDir: string, kafkaPorts: RouterKafkaPorts, options: TopologyOptions = {}): ServiceSpec[] {
  // One cell, `local`, over the three local AZs; every process says it is in that cell.
  const specs: ServiceSpec[] = [{ id: 'metadata', app: 'metadata', az: 'a', env: { STRATUS_CELLS: `${LOCAL_CELL}:${AZS.join(',')}` } }];
  for (const az of AZS) {
    specs.push({
      id: `replication-${az}`,
      app: 'replication',
      az,
      env: { STRATUS_DATA_DIR: join(dataDir, `replication-${az}`) },
    });
  }
  for (const az of ['a', 'b']) specs.push({ id: `broker-${az}`, app: 'broker', az, env: {} });
  specs.push({
    id: 'tiered-storage',
    app: 'tiered-storage',
    az: 'a',
    env: {
      // A folder under the data directory stands in for S3 (docs/tiered-storage.md, file:// backend).
      STRATUS_OBJECT_STORE_URL: options.objectStoreUrl ?? pathToFileURL(resolve(dataDir, 'object-store')).href,
      STRATUS_CACHE_DIR: join(dataDir, 'tiered-cache'),
    },
  });
  AZS.forEach((az, index) => {
    specs.push({
      id: `router-${az}`,
      app: 'router',
      az,
      env: { STRATUS_KAFKA_PORT: String(kafkaPorts[index]) },
      ports: [kafkaPorts[index] as number],
    });
  });
  const extra = options.serviceEnv ?? {};
  return specs.map((spec) => (extra[spec.app] ? { ...spec, env: { ...spec.env, ...extra[spec.app] } } : spec));
}

// Starts etcd and every service of the local topology as child processes, waits until each is
// ready (GET /readyz on its admin port), and stops them all in reverse order.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  appMainPath,
  freePorts,
  httpGet,
  ManagedProcess,
  startEtcd,
  StopWaiting,
  waitFor,
  workspaceRoot,
  type EtcdHandle,
} from '@stratus/platform-testing';
import { formatLogLine } from './combined-log';
import { LOCAL_CELL, type ServiceSpec } from './topology';

export type ServiceState = 'starting' | 'ready' | 'failed' | 'stopped';

export interface RunningService {
  readonly spec: ServiceSpec;
  readonly process: ManagedProcess;
  readonly grpcPort: number;
  readonly adminPort: number;
  state: ServiceState;
}

export interface SupervisorEvents {
  onState(id: string, state: ServiceState, detail?: string): void;
  /** Each human-readable combined log line, for the terminal view. */
  onLogLine(line: string): void;
}

// Generous: on a loaded 2-core machine (CI, or tests beside `npm start`) a broker may wait tens of
// seconds for etcd before it registers; a slow start is not a failed one.
const READY_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 15_000;

export class LocalSupervisor {
  private etcd: EtcdHandle | undefined;
  private readonly services: RunningService[] = [];
  private readonly logDir: string;

  constructor(
    private readonly dataDir: string,
    private readonly events: SupervisorEvents,
  ) {
    this.logDir = join(dataDir, 'logs');
  }

  get running(): readonly RunningService[] {
    return this.services;
  }

  /** host:port of the metadata gRPC API once startAll has chosen ports. */
  metadataAddress: string | undefined;

  get etcdEndpoints(): readonly string[] {
    return this.etcd?.endpoints ?? [];
  }

  /** `reservedPorts`: ports given to services that start later (the routers' Kafka ports), which etcd must not take. */
  async startEtcd(reservedPorts: readonly number[] = []): Promise<void> {
    this.events.onState('etcd', 'starting');
    mkdirSync(this.dataDir, { recursive: true });
    this.etcd = await startEtcd({ dataDir: join(this.dataDir, 'etcd'), excludePorts: reservedPorts });
    this.events.onState('etcd', 'ready', this.etcd.clientUrl);
  }

  /** Starts every service at once (they wait for their own dependencies) and waits for all to be ready. */
  async startAll(specs: readonly ServiceSpec[]): Promise<void> {
    mkdirSync(this.logDir, { recursive: true });
    // Not a port a service was already given (the routers' Kafka ports): those are free until the
    // router binds them, and a gRPC or admin port picked onto one fails that router (EADDRINUSE).
    const ports = await freePorts(specs.length * 2, specs.flatMap((spec) => spec.ports ?? []));
    const portsOf = (index: number): [number, number] => {
      const [grpcPort, adminPort] = ports.slice(index * 2, index * 2 + 2);
      if (grpcPort === undefined || adminPort === undefined) throw new Error('freePorts returned too few ports');
      return [grpcPort, adminPort];
    };
    // Ports are chosen before anything is spawned, so routers can be told where metadata is.
    const metadataIndex = specs.findIndex((spec) => spec.app === 'metadata');
    if (metadataIndex >= 0) this.metadataAddress = `127.0.0.1:${portsOf(metadataIndex)[0]}`;
    const started = specs.map((spec, index) => this.spawn(spec, ...portsOf(index)));
    const results = await Promise.allSettled(started.map(async (service) => this.waitReady(await service)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) throw new AggregateError(failed.map((r) => r.reason), `${failed.length} service(s) failed to start`);
  }

  /** Stops services in reverse start order, then etcd. Never throws. */
  async stopAll(): Promise<void> {
    for (const service of [...this.services].reverse()) {
      if (!service.process.running) continue;
      await service.process.stop({ signal: 'SIGTERM', timeoutMs: STOP_GRACE_MS }).catch(() => undefined);
      service.state = 'stopped';
      this.events.onState(service.spec.id, 'stopped');
    }
    if (this.etcd) {
      await this.etcd.stop().catch(() => undefined);
      this.events.onState('etcd', 'stopped');
    }
  }

  private async spawn(spec: ServiceSpec, grpcPort: number, adminPort: number): Promise<RunningService> {
    this.events.onState(spec.id, 'starting');
    const process = await ManagedProcess.spawn({
      label: spec.id,
      command: 'node',
      args: ['--enable-source-maps', appMainPath(spec.app)],
      cwd: workspaceRoot(),
      logFile: join(this.logDir, `${spec.id}.log`),
      env: {
        ...globalThis.process.env,
        STRATUS_NODE_ID: spec.id,
        STRATUS_AZ: spec.az,
        STRATUS_CELL: LOCAL_CELL,
        STRATUS_GRPC_PORT: String(grpcPort),
        STRATUS_ADMIN_PORT: String(adminPort),
        STRATUS_ETCD_ENDPOINTS: this.etcdEndpoints.join(','),
        // Read by routers (credential checks), replication nodes (registration, so the controller
        // can place replica sets on them) and brokers (registration, assignment watches, producer
        // ids; required since brokers lead partitions); other apps ignore keys outside their schema.
        ...(this.metadataAddress !== undefined ? { STRATUS_METADATA_ADDRESS: this.metadataAddress } : {}),
        ...spec.env,
      },
    });
    const combined = join(this.logDir, 'combined.log');
    process.onLine((line) => {
      const readable = formatLogLine(spec.id, line);
      appendFileSync(combined, readable + '\n');
      this.events.onLogLine(readable);
    });
    const service: RunningService = { spec, process, grpcPort, adminPort, state: 'starting' };
    this.services.push(service);
    return service;
  }

  private async waitReady(service: RunningService): Promise<void> {
    const url = `http://127.0.0.1:${service.adminPort}/readyz`;
    try {
      await waitFor(
        async () => {
          if (!service.process.running) {
            throw new StopWaiting(new Error(`${service.spec.id} exited:\n${service.process.tail(20)}`));
          }
          return (await httpGet(url).catch(() => undefined))?.status === 200;
        },
        { timeoutMs: READY_TIMEOUT_MS, intervalMs: 200, description: `${service.spec.id} ready at ${url}` },
      );
      service.state = 'ready';
      this.events.onState(service.spec.id, 'ready', `grpc :${service.grpcPort}, admin :${service.adminPort}`);
    } catch (error) {
      service.state = 'failed';
      this.events.onState(service.spec.id, 'failed', error instanceof Error ? error.message.split('\n')[0] : String(error));
      throw error;
    }
  }
}

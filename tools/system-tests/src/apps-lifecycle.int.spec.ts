// Every deployable, started as its own process against a real etcd and S3 API server, must behave
// like a well-mannered Kubernetes workload: ready only when it can serve, Prometheus metrics, the
// standard gRPC health service, a clean exit on SIGTERM inside its grace period, and a refusal to
// start (non-zero exit naming the key) on bad configuration.
import {
  grpcHealthCheck,
  httpGet,
  spawnApp,
  startApp,
  startEtcd,
  startS3,
  STRATUS_APPS,
  useHarness,
  waitFor,
  type AppHandle,
  type EtcdHandle,
  type S3Handle,
  type StratusAppName,
} from '@stratus/platform-testing';
import { HEALTH_REFRESH_MS } from '@stratus/platform-service';

/** The apps' own shutdown grace; kept short so the suite is quick, long enough for a loaded CI box. */
const SHUTDOWN_GRACE_MS = 5_000;
/**
 * Like a pod's terminationGracePeriodSeconds, the harness SIGKILLs a process still alive this long
 * after SIGTERM. It sits above the app's own grace by the time a node process needs to exit.
 */
const KILL_DEADLINE_MS = SHUTDOWN_GRACE_MS + 3_000;
const BUCKET = 'stratus-system-tests';

/** The gRPC API each app serves (proto/stratus/<layer>/v1); its health is reported per service too. */
const GRPC_API: Readonly<Record<StratusAppName, string | undefined>> = {
  // The router speaks the Kafka protocol to clients; it serves no gRPC API of its own (only health).
  router: undefined,
  broker: 'stratus.broker.v1.BrokerService',
  metadata: 'stratus.metadata.v1.MetadataService',
  replication: 'stratus.replication.v1.ReplicationService',
  'tiered-storage': 'stratus.tiered.v1.TieredStorageService',
};

describe('apps lifecycle', () => {
  useHarness();

  let etcd: EtcdHandle;
  let s3: S3Handle;
  let metadata: AppHandle;

  beforeAll(async () => {
    [etcd, s3] = await Promise.all([startEtcd(), startS3({ bucket: BUCKET })]);
    // A broker is ready only once it is registered and its assignment watches are live (it cannot
    // lead anything otherwise), so it gets a real metadata service; every other app is tested
    // against an unreachable one, which must not keep it from becoming ready.
    metadata = await startApp('metadata', { env: envFor('metadata') });
    await metadata.waitReady({ timeoutMs: 60_000 });
  }, 120_000);

  /** Everything any app may need; a service reads only the keys of its own schema. */
  function envFor(name?: StratusAppName): Record<string, string> {
    return {
      STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(','),
      STRATUS_SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
      // Tiered storage on the real S3 API server: one URL, credentials from the AWS default chain.
      STRATUS_OBJECT_STORE_URL: `s3://${BUCKET}/lifecycle?${new URLSearchParams({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: 'true' })}`,
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      // The router's Kafka listener on a free port, like its gRPC and admin ports.
      STRATUS_KAFKA_PORT: '0',
      // Nothing listens here, on purpose: a router becomes ready once its Kafka listener is bound,
      // without reaching metadata (docs/configuration.md, router), so a metadata blip does not take
      // every router out of its load balancer at once; logins then fail retriably. router-auth.int.spec.ts
      // covers a router against a real metadata service.
      STRATUS_METADATA_ADDRESS: name === 'broker' ? metadata.grpcAddress : '127.0.0.1:1',
    };
  }

  describe.each(STRATUS_APPS.map((name) => [name]))('%s', (name: StratusAppName) => {
    it('serves /healthz, /readyz, /metrics and grpc.health.v1, and exits 0 on SIGTERM within its grace period', async () => {
      const app = await startApp(name, { env: envFor(name) });
      await app.waitReady();

      expect((await httpGet(`${app.adminUrl}/healthz`)).status).toBe(200);
      expect((await httpGet(`${app.adminUrl}/readyz`)).status).toBe(200);

      const metrics = await httpGet(`${app.adminUrl}/metrics`);
      expect(metrics.status).toBe(200);
      expect(String(metrics.headers['content-type'])).toMatch(/^text\/plain/);
      // Default process and Node.js runtime metrics are what dashboards and alerts start from; each
      // carries the service label so one Prometheus job can scrape all five apps apart.
      expect(metrics.body).toMatch(new RegExp(`^process_cpu_user_seconds_total\\{[^}]*service="${name}"[^}]*\\} \\d`, 'm'));
      expect(metrics.body).toMatch(/^nodejs_heap_size_used_bytes\{[^}]*\} \d/m);

      // grpc.health.v1 follows readiness on a refresh period (HEALTH_REFRESH_MS), so an app that
      // became ready a moment ago (a broker, once registered) reports SERVING within one period.
      const serving = async (service?: string) =>
        waitFor(async () => ((await grpcHealthCheck(app.grpcAddress, service === undefined ? {} : { service })) === 'SERVING' ? true : undefined), {
          timeoutMs: HEALTH_REFRESH_MS * 3 + 5_000,
          intervalMs: 100,
          description: `grpc.health.v1 SERVING for ${service ?? 'the server'}`,
        });
      expect(await serving()).toBe(true);
      const api = GRPC_API[name];
      if (api !== undefined) expect(await serving(api)).toBe(true);

      const result = await app.stop({ signal: 'SIGTERM', timeoutMs: KILL_DEADLINE_MS });
      expect({ code: result.code, signal: result.signal, escalatedToSigkill: result.escalatedToSigkill }).toEqual({
        code: 0,
        signal: null,
        escalatedToSigkill: false,
      });
      // The contract bound, not a speed measure: an idle service must finish inside its own grace.
      expect(result.durationMs).toBeLessThan(SHUTDOWN_GRACE_MS);
      // Its ports are released: nothing answers any more.
      await expect(httpGet(`${app.adminUrl}/healthz`, { timeoutMs: 1_000 })).rejects.toThrow();
      await expect(grpcHealthCheck(app.grpcAddress, { timeoutMs: 1_000 })).rejects.toMatchObject({ code: expect.any(Number) });
    });

    it('refuses to start on a bad config value: exit 2, one stderr line naming the key', async () => {
      const app = await spawnApp(name, { env: { ...envFor(name), STRATUS_ADMIN_PORT: 'abc' } });
      const exit = await waitFor(() => app.process.exitStatus, {
        description: `${name} to exit on STRATUS_ADMIN_PORT=abc`,
        timeoutMs: 20_000,
      });
      // 2 is the documented exit status for a configuration (usage) error, distinct from a crash (1).
      expect(exit).toEqual({ code: 2, signal: null });
      const stderr = app.process.stderr();
      expect(stderr).toContain('STRATUS_ADMIN_PORT');
      expect(stderr).toContain('abc');
      // An operator gets one readable line, not a stack trace.
      expect(stderr).not.toMatch(/^\s+at /m);
      // It must not have announced itself as ready before failing.
      expect(app.process.stdout()).not.toMatch(/"msg":"ready"/);
    });
  });

  it('metadata refuses to start without etcd endpoints, naming the variable', async () => {
    const { STRATUS_ETCD_ENDPOINTS: _omitted, ...env } = envFor();
    const app = await spawnApp('metadata', { env });
    const exit = await waitFor(() => app.process.exitStatus, { description: 'metadata to exit without etcd endpoints', timeoutMs: 20_000 });
    expect(exit).toEqual({ code: 2, signal: null });
    expect(app.process.stderr()).toContain('STRATUS_ETCD_ENDPOINTS');
  });

  it('router refuses to start without the metadata address, naming the variable', async () => {
    const { STRATUS_METADATA_ADDRESS: _omitted, ...env } = envFor();
    const app = await spawnApp('router', { env });
    const exit = await waitFor(() => app.process.exitStatus, { description: 'router to exit without a metadata address', timeoutMs: 20_000 });
    expect(exit).toEqual({ code: 2, signal: null });
    expect(app.process.stderr()).toContain('STRATUS_METADATA_ADDRESS');
  });
});

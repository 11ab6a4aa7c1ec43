import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { K8sObject, componentOf, isWorkload, podTemplateOf } from './manifests';
import { WORKSPACE_ROOT, lintChart, renderChart, renderOrThrow } from './helm';
import { checkAll, checkAutoscalers } from './invariants';
import { decodeStrictly, schemaViolations, strictViolations } from './validate';

const PRODUCTION = 'ci/production-values.yaml';
const COMPONENTS = ['router', 'broker', 'metadata', 'replication', 'tiered-storage'];

function find(objects: readonly K8sObject[], kind: string, component: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && componentOf(o) === component);
  if (!found) throw new Error(`no ${kind} for ${component}`);
  return found;
}

function envOf(objects: readonly K8sObject[], component: string): Record<string, string> {
  return find(objects, 'ConfigMap', component).data ?? {};
}

describe.each([
  ['default values', [] as string[]],
  ['production values', [PRODUCTION]],
])('chart rendered with %s', (_name, valuesFiles) => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = renderOrThrow({ valuesFiles });
  });

  it('passes helm lint --strict', () => {
    const result = lintChart({ valuesFiles });
    expect(result.output).toContain('0 chart(s) failed');
    expect(result.ok).toBe(true);
  });

  it('renders one workload per layer', () => {
    expect(objects.filter(isWorkload).map((w) => `${w.kind}/${componentOf(w)}`).sort()).toEqual([
      'Deployment/broker',
      'Deployment/metadata',
      'Deployment/router',
      'StatefulSet/replication',
      'StatefulSet/tiered-storage',
    ]);
  });

  it('validates every object against the Kubernetes schemas', () => {
    expect(schemaViolations(objects)).toEqual([]);
  });

  it('decodes strictly with the Kubernetes Go types (no unknown fields)', () => {
    expect(strictViolations(objects)).toEqual([]);
    const skipped = decodeStrictly(objects).filter((r) => r.skipped).map((r) => r.kind);
    // Only the Prometheus operator's kinds are outside the built-in scheme.
    expect(skipped.filter((kind) => kind !== 'ServiceMonitor' && kind !== 'PrometheusRule')).toEqual([]);
  });

  it('holds every invariant', () => {
    expect(checkAll(objects)).toEqual([]);
    expect(checkAutoscalers(objects, ['router', 'broker'])).toEqual([]);
  });

  it('gives every layer its own ConfigMap with container-facing settings', () => {
    for (const component of COMPONENTS) {
      const env = envOf(objects, component);
      expect(env['STRATUS_BIND_HOST']).toBe('0.0.0.0');
      expect(env['STRATUS_GRPC_PORT']).toMatch(/^\d+$/);
    }
    expect(envOf(objects, 'router')['STRATUS_KAFKA_PORT']).toBe('9092');
    // Each router advertises a host clients can reach: its pod IP unless router.advertisedHost is set.
    const router = podTemplateOf(find(objects, 'Deployment', 'router')).spec.containers[0] as { env?: { name: string; value?: string }[] } | undefined;
    expect(router?.env?.find((e) => e.name === 'STRATUS_KAFKA_ADVERTISED_HOST')?.value).toBe('$(POD_IP)');
    expect(router?.env?.find((e) => e.name === 'POD_IP')).toBeDefined();
    // The router's required metadata address names the metadata Service and its gRPC port.
    expect(envOf(objects, 'router')['STRATUS_METADATA_ADDRESS']).toBe(`${find(objects, 'Service', 'metadata').metadata.name}:7001`);
    expect(envOf(objects, 'metadata')['STRATUS_ETCD_ENDPOINTS']).toMatch(/^https?:\/\//);
    // Metadata defines the chart's cell over its zones (tenants are placed on it, replica sets
    // spread over the zones), and every layer runs in that cell.
    const cells = envOf(objects, 'metadata')['STRATUS_CELLS'] ?? '';
    expect(cells).toMatch(/^[a-z0-9-]+:[^,:;]+(,[^,:;]+){2,}$/);
    for (const component of COMPONENTS) expect(`${envOf(objects, component)['STRATUS_CELL']}:`).toBe(cells.slice(0, cells.indexOf(':') + 1));
    expect(envOf(objects, 'replication')['STRATUS_DATA_DIR']).toBe('/var/lib/stratus/replication');
    // Replication nodes register with metadata (replica placement), advertising the pod's
    // stable DNS name under the StatefulSet's headless Service.
    expect(envOf(objects, 'replication')['STRATUS_METADATA_ADDRESS']).toBe(envOf(objects, 'router')['STRATUS_METADATA_ADDRESS']);
    const replication = find(objects, 'StatefulSet', 'replication');
    const container = podTemplateOf(replication).spec.containers[0] as { env?: { name: string; value?: string }[] } | undefined;
    const serviceName = (replication.spec as { serviceName?: string }).serviceName;
    expect(container?.env?.find((e) => e.name === 'STRATUS_GRPC_ADVERTISED_HOST')?.value).toMatch(new RegExp(`^\\$\\(STRATUS_NODE_ID\\)\\.${serviceName}\\.[a-z0-9-]+\\.svc$`));
  });

  it('wires the zone from the node label through the resolve-zone init container', () => {
    for (const w of objects.filter(isWorkload)) {
      const { spec } = podTemplateOf(w);
      expect(spec.initContainers?.map((c) => c.name)).toEqual(['resolve-zone']);
      // Only the init container holds an API token.
      const raw = spec as unknown as {
        automountServiceAccountToken: boolean;
        containers: { volumeMounts: { name: string }[] }[];
        initContainers: { volumeMounts: { name: string }[] }[];
      };
      expect(raw.automountServiceAccountToken).toBe(false);
      expect(raw.containers[0]?.volumeMounts.map((m) => m.name)).not.toContain('kube-api-access');
      expect(raw.initContainers[0]?.volumeMounts.map((m) => m.name)).toContain('kube-api-access');
    }
    const binding = objects.find((o) => o.kind === 'ClusterRoleBinding');
    expect(binding).toBeDefined();
  });
});

describe('production values', () => {
  const objects = (): K8sObject[] => renderOrThrow({ valuesFiles: [PRODUCTION] });

  it('takes S3 credentials from the named Secret, never from a ConfigMap', () => {
    const rendered = objects();
    expect(rendered.some((o) => o.kind === 'Secret')).toBe(false);
    const tiered = find(rendered, 'StatefulSet', 'tiered-storage');
    const container = podTemplateOf(tiered).spec.containers[0] as unknown as {
      envFrom: { secretRef?: { name: string } }[];
    };
    expect(container.envFrom.map((e) => e.secretRef?.name).filter(Boolean)).toEqual(['stratus-s3-credentials']);
    expect(envOf(rendered, 'tiered-storage')['STRATUS_OBJECT_STORE_URL']).toMatch(/^s3:\/\/stratus-prod-segments\//);
  });

  it('renders alert rules, each explained in docs/operations.md', () => {
    const rule = objects().find((o) => o.kind === 'PrometheusRule');
    const groups = (rule?.spec?.['groups'] ?? []) as { rules: { alert: string }[] }[];
    const alerts = groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(alerts.length).toBeGreaterThan(0);
    const operations = readFileSync(join(WORKSPACE_ROOT, 'docs', 'operations.md'), 'utf8');
    expect(alerts.filter((alert) => !operations.includes(`\`${alert}\``))).toEqual([]);
  });

  it('renders a ServiceMonitor per layer on the admin port', () => {
    const monitors = objects().filter((o) => o.kind === 'ServiceMonitor');
    expect(monitors.map(componentOf).sort()).toEqual([...COMPONENTS].sort());
  });
});

describe('values', () => {
  it('scales each layer independently', () => {
    const counts = { router: 4, broker: 5, metadata: 2, replication: 7, tieredStorage: 3 };
    const objects = renderOrThrow({
      set: [
        'router.autoscaling.enabled=false',
        'broker.autoscaling.enabled=false',
        ...Object.entries(counts).map(([layer, n]) => `${layer}.replicaCount=${n}`),
      ],
    });
    const replicas = Object.fromEntries(
      objects.filter(isWorkload).map((w) => [componentOf(w), w.spec?.['replicas']]),
    );
    expect(replicas).toEqual({ router: 4, broker: 5, metadata: 2, replication: 7, 'tiered-storage': 3 });
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  it('stages an upgrade: a layer imageTag changes that layer only', () => {
    const objects = renderOrThrow({ set: ['image.tag=1.0.0', 'metadata.imageTag=1.1.0'] });
    const images = Object.fromEntries(
      objects.filter(isWorkload).map((w) => [componentOf(w), podTemplateOf(w).spec.containers[0]?.image]),
    );
    expect(images).toEqual({
      router: 'ghcr.io/stratus/stratus-router:1.0.0',
      broker: 'ghcr.io/stratus/stratus-broker:1.0.0',
      metadata: 'ghcr.io/stratus/stratus-metadata:1.1.0',
      replication: 'ghcr.io/stratus/stratus-replication:1.0.0',
      'tiered-storage': 'ghcr.io/stratus/stratus-tiered-storage:1.0.0',
    });
  });

  it('refuses a single metadata replica (no standby controller)', () => {
    const result = renderChart({ set: ['metadata.replicaCount=1'] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/metadata.*replicaCount|minimum/i);
  });

  it('refuses a credential-looking key in a layer env map', () => {
    const result = renderChart({ set: ['broker.env.STRATUS_SASL_PASSWORD=hunter2'] });
    expect(result.ok).toBe(false);
  });

  it('puts static S3 credentials in a Secret and keeps ConfigMaps clean', () => {
    const objects = renderOrThrow({
      set: ['s3.bucket=b', 's3.accessKeyId=AKIAEXAMPLE', 's3.secretAccessKey=very-secret'],
    });
    const secret = objects.find((o) => o.kind === 'Secret');
    expect(secret?.stringData).toEqual({
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'very-secret',
    });
    const env = envOf(objects, 'tiered-storage');
    expect(env['STRATUS_OBJECT_STORE_URL']).toBe('s3://b/?region=us-east-1');
    expect(env['STRATUS_OBJECT_STORE_URL']).not.toContain('AKIA');
    const configs = JSON.stringify(objects.filter((o) => o.kind === 'ConfigMap'));
    expect(configs).not.toContain('very-secret');
    expect(checkAll(objects)).toEqual([]);
  });

  it('builds the tiered-storage object store URL from s3 values, or a folder on the PVC without a bucket', () => {
    expect(envOf(renderOrThrow({}), 'tiered-storage')).toMatchObject({
      STRATUS_OBJECT_STORE_URL: 'file:///var/cache/stratus/objects',
      STRATUS_METADATA_ADDRESS: expect.stringMatching(/-metadata:\d+$/),
    });
    const env = envOf(renderOrThrow({ set: ['s3.bucket=seg', 's3.endpoint=http://minio:9000', 's3.region=eu-west-1', 's3.forcePathStyle=true'] }), 'tiered-storage');
    expect(env['STRATUS_OBJECT_STORE_URL']).toBe('s3://seg/?region=eu-west-1&endpoint=http%3A%2F%2Fminio%3A9000&forcePathStyle=true');
    expect(env['STRATUS_S3_BUCKET']).toBeUndefined();
  });

  it('uses the downward API pod label when zone.source=podLabel', () => {
    const objects = renderOrThrow({ set: ['zone.source=podLabel'] });
    const router = podTemplateOf(find(objects, 'Deployment', 'router')).spec;
    expect(router.initContainers).toBeUndefined();
    expect(JSON.stringify(router.containers[0])).toContain("metadata.labels['topology.kubernetes.io/zone']");
    expect(objects.some((o) => o.kind === 'ClusterRole')).toBe(false);
    expect(schemaViolations(objects)).toEqual([]);
  });

  it('sets STRATUS_AZ from the values when zone.source=static', () => {
    const objects = renderOrThrow({ set: ['zone.source=static', 'zone.static=eu-west-1a'] });
    expect(envOf(objects, 'broker')['STRATUS_AZ']).toBe('eu-west-1a');
  });
});

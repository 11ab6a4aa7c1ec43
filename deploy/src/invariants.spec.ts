// The checkers must catch the mistakes they exist for: each case breaks one rule in an otherwise
// valid rendering and expects exactly that rule to fire.
import { renderOrThrow } from './helm';
import { K8sObject, componentOf } from './manifests';
import {
  checkAutoscalers,
  checkDisruptionBudgets,
  checkLayers,
  checkNoSecretsInConfigMaps,
  checkNonRoot,
  checkProbes,
  checkResources,
  checkZoneSpread,
} from './invariants';

type Mutable = Record<string, unknown>;

function clone(objects: readonly K8sObject[]): Mutable[] {
  return JSON.parse(JSON.stringify(objects)) as Mutable[];
}

function podSpec(objects: Mutable[], component: string): Mutable {
  const w = objects.find(
    (o) => (o['kind'] === 'Deployment' || o['kind'] === 'StatefulSet') && componentOf(o as unknown as K8sObject) === component,
  ) as { spec: { template: { spec: Mutable } } };
  return w.spec.template.spec;
}

describe('invariant checks', () => {
  let base: K8sObject[];
  beforeAll(() => {
    base = renderOrThrow();
  });
  const asObjects = (o: Mutable[]): K8sObject[] => o as unknown as K8sObject[];

  it('report a workload without zone spread', () => {
    const o = clone(base);
    podSpec(o, 'broker')['topologySpreadConstraints'] = [];
    expect(checkZoneSpread(asObjects(o))).toEqual([expect.stringContaining('broker')]);
  });

  it('report a missing readiness probe and a probe on the wrong port', () => {
    const o = clone(base);
    const [container] = podSpec(o, 'metadata')['containers'] as Mutable[];
    if (!container) throw new Error('metadata has no container');
    delete container['readinessProbe'];
    container['livenessProbe'] = { httpGet: { path: '/healthz', port: 7001 } };
    expect(checkProbes(asObjects(o))).toEqual([
      expect.stringContaining('no readiness probe'),
      expect.stringContaining('liveness probe is not on the admin'),
    ]);
  });

  it('report a workload without a PodDisruptionBudget', () => {
    const o = clone(base).filter(
      (x) => !(x['kind'] === 'PodDisruptionBudget' && componentOf(x as unknown as K8sObject) === 'replication'),
    );
    expect(checkDisruptionBudgets(asObjects(o))).toEqual([expect.stringContaining('replication')]);
  });

  it('report a secret-looking ConfigMap key', () => {
    const o = clone(base);
    const cm = o.find((x) => x['kind'] === 'ConfigMap') as { data: Record<string, string> };
    cm.data['STRATUS_S3_SECRET_ACCESS_KEY'] = 'x';
    cm.data['STRATUS_API_TOKEN'] = 'y';
    expect(checkNoSecretsInConfigMaps(asObjects(o))).toHaveLength(2);
  });

  it('report a container without resources, and one running as root', () => {
    const o = clone(base);
    const [container] = podSpec(o, 'router')['containers'] as Mutable[];
    if (!container) throw new Error('router has no container');
    delete container['resources'];
    container['securityContext'] = { runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false };
    expect(checkResources(asObjects(o))).toEqual([expect.stringContaining('router')]);
    expect(checkNonRoot(asObjects(o))).toEqual([expect.stringContaining('may run as root')]);
  });

  it('report a replication StatefulSet without volumeClaimTemplates and a lone metadata replica', () => {
    const o = clone(base);
    const set = o.find(
      (x) => x['kind'] === 'StatefulSet' && componentOf(x as unknown as K8sObject) === 'replication',
    ) as { spec: Mutable };
    delete set.spec['volumeClaimTemplates'];
    const meta = o.find(
      (x) => x['kind'] === 'Deployment' && componentOf(x as unknown as K8sObject) === 'metadata',
    ) as { spec: Mutable };
    meta.spec['replicas'] = 1;
    expect(checkLayers(asObjects(o))).toEqual([
      expect.stringContaining('no volumeClaimTemplates'),
      expect.stringContaining('>= 2'),
    ]);
  });

  it('report a router Service without the Kafka port and a missing HPA', () => {
    const o = clone(base).filter((x) => x['kind'] !== 'HorizontalPodAutoscaler');
    const svc = o.find(
      (x) => x['kind'] === 'Service' && componentOf(x as unknown as K8sObject) === 'router',
    ) as { spec: { ports: { name: string }[] } };
    svc.spec.ports = svc.spec.ports.filter((p) => p.name !== 'kafka');
    expect(checkLayers(asObjects(o))).toEqual(['no router Service exposes the Kafka port 9092']);
    expect(checkAutoscalers(asObjects(o), ['router', 'broker'])).toHaveLength(2);
  });
});

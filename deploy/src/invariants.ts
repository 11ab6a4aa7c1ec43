// Operational invariants of the rendered chart (issue 10): what a reviewer would otherwise check
// by eye in every chart change. Each check returns human-readable violations; empty means it holds.
import {
  Container,
  K8sObject,
  componentOf,
  isWorkload,
  podTemplateOf,
  selectorMatches,
} from './manifests';

export const ZONE_KEY = 'topology.kubernetes.io/zone';
/** ConfigMap keys that look like credentials; those belong in Secrets. */
const SECRET_LOOKING = /password|secret|key|token|credential/i;

function describe(object: K8sObject): string {
  return `${object.kind} ${object.metadata.name}`;
}

function workloads(objects: readonly K8sObject[]): K8sObject[] {
  return objects.filter(isWorkload);
}

/** Every workload spreads its own pods across zones. */
export function checkZoneSpread(objects: readonly K8sObject[]): string[] {
  return workloads(objects).flatMap((w) => {
    const { labels, spec } = podTemplateOf(w);
    const zone = (spec.topologySpreadConstraints ?? []).find((c) => c.topologyKey === ZONE_KEY);
    if (!zone) return [`${describe(w)} has no topologySpreadConstraint on ${ZONE_KEY}`];
    const selector = zone.labelSelector?.matchLabels ?? {};
    if (Object.keys(selector).length === 0 || !selectorMatches(selector, labels)) {
      return [`${describe(w)} zone spread does not select its own pods`];
    }
    return [];
  });
}

/** Every main container has readiness and liveness probes on the admin (HTTP) or gRPC port. */
export function checkProbes(objects: readonly K8sObject[]): string[] {
  const violations: string[] = [];
  for (const w of workloads(objects)) {
    for (const c of podTemplateOf(w).spec.containers) {
      for (const [kind, probe] of [
        ['readiness', c.readinessProbe],
        ['liveness', c.livenessProbe],
      ] as const) {
        if (!probe) {
          violations.push(`${describe(w)} container ${c.name} has no ${kind} probe`);
        } else if (!probe.grpc && !(probe.httpGet && isAdminPort(c, probe.httpGet.port))) {
          violations.push(`${describe(w)} container ${c.name} ${kind} probe is not on the admin or gRPC port`);
        }
      }
      if (c.readinessProbe?.httpGet && c.readinessProbe.httpGet.path !== '/readyz') {
        violations.push(`${describe(w)} container ${c.name} readiness probe is not /readyz`);
      }
      if (c.livenessProbe?.httpGet && c.livenessProbe.httpGet.path !== '/healthz') {
        violations.push(`${describe(w)} container ${c.name} liveness probe is not /healthz`);
      }
    }
  }
  return violations;
}

function isAdminPort(container: Container, port: number | string): boolean {
  const admin = container.ports?.find((p) => p.name === 'admin');
  return admin !== undefined && (port === 'admin' || port === admin.containerPort);
}

/** Every workload's pods are covered by exactly one PodDisruptionBudget. */
export function checkDisruptionBudgets(objects: readonly K8sObject[]): string[] {
  const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  return workloads(objects).flatMap((w) => {
    const { labels } = podTemplateOf(w);
    const covering = pdbs.filter((p) => {
      const selector = (p.spec?.['selector'] as { matchLabels?: Record<string, string> } | undefined)
        ?.matchLabels;
      return selector !== undefined && selectorMatches(selector, labels);
    });
    if (covering.length === 1) return [];
    return [`${describe(w)} is covered by ${covering.length} PodDisruptionBudgets (want 1)`];
  });
}

/** No ConfigMap carries a key that looks like a credential. */
export function checkNoSecretsInConfigMaps(objects: readonly K8sObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'ConfigMap')
    .flatMap((cm) =>
      Object.keys(cm.data ?? {})
        .filter((key) => SECRET_LOOKING.test(key))
        .map((key) => `${describe(cm)} has secret-looking key ${key}`),
    );
}

function allContainers(w: K8sObject): Container[] {
  const { spec } = podTemplateOf(w);
  return [...(spec.initContainers ?? []), ...spec.containers];
}

/** Every container (init containers too) requests CPU and memory and caps memory. */
export function checkResources(objects: readonly K8sObject[]): string[] {
  return workloads(objects).flatMap((w) =>
    allContainers(w).flatMap((c) => {
      const missing = [
        c.resources?.requests?.['cpu'] === undefined ? 'requests.cpu' : undefined,
        c.resources?.requests?.['memory'] === undefined ? 'requests.memory' : undefined,
        c.resources?.limits?.['memory'] === undefined ? 'limits.memory' : undefined,
      ].filter((m): m is string => m !== undefined);
      return missing.length === 0 ? [] : [`${describe(w)} container ${c.name} lacks ${missing.join(', ')}`];
    }),
  );
}

/** Pods and containers run as a non-root user without privilege escalation. */
export function checkNonRoot(objects: readonly K8sObject[]): string[] {
  return workloads(objects).flatMap((w) => {
    const pod = podTemplateOf(w).spec.securityContext;
    const violations: string[] = [];
    if (pod?.runAsNonRoot !== true) violations.push(`${describe(w)} pod lacks runAsNonRoot: true`);
    for (const c of allContainers(w)) {
      const ctx = c.securityContext;
      const user = ctx?.runAsUser ?? pod?.runAsUser;
      if ((ctx?.runAsNonRoot ?? pod?.runAsNonRoot) !== true || user === 0) {
        violations.push(`${describe(w)} container ${c.name} may run as root`);
      }
      if (ctx?.allowPrivilegeEscalation !== false) {
        violations.push(`${describe(w)} container ${c.name} allows privilege escalation`);
      }
    }
    return violations;
  });
}

function byComponent(objects: readonly K8sObject[], kind: string, component: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind && componentOf(o) === component);
}

/** Layer-specific shape: storage, controller quorum, Kafka port, autoscalers. */
export function checkLayers(objects: readonly K8sObject[]): string[] {
  const violations: string[] = [];
  for (const component of ['replication', 'tiered-storage']) {
    const sets = byComponent(objects, 'StatefulSet', component);
    if (sets.length !== 1) violations.push(`want one ${component} StatefulSet, found ${sets.length}`);
    for (const set of sets) {
      const claims = (set.spec?.['volumeClaimTemplates'] as unknown[] | undefined) ?? [];
      if (claims.length === 0) violations.push(`${describe(set)} has no volumeClaimTemplates`);
    }
  }
  const metadata = byComponent(objects, 'Deployment', 'metadata');
  if (metadata.length !== 1) violations.push(`want one metadata Deployment, found ${metadata.length}`);
  for (const m of metadata) {
    const replicas = m.spec?.['replicas'];
    if (typeof replicas !== 'number' || replicas < 2) {
      violations.push(`${describe(m)} has ${String(replicas)} replicas; the controller election needs >= 2`);
    }
  }
  const routerServices = objects.filter((o) => o.kind === 'Service' && componentOf(o) === 'router');
  const ports = routerServices.flatMap(
    (s) => (s.spec?.['ports'] as { port: number }[] | undefined)?.map((p) => p.port) ?? [],
  );
  if (!ports.includes(9092)) violations.push('no router Service exposes the Kafka port 9092');
  return violations;
}

/** The named layers have an HPA scaling their own Deployment. */
export function checkAutoscalers(objects: readonly K8sObject[], components: readonly string[]): string[] {
  return components.flatMap((component) => {
    const deployment = byComponent(objects, 'Deployment', component)[0];
    const hpa = byComponent(objects, 'HorizontalPodAutoscaler', component)[0];
    const target = hpa?.spec?.['scaleTargetRef'] as { kind: string; name: string } | undefined;
    if (!deployment || !target || target.kind !== 'Deployment' || target.name !== deployment.metadata.name) {
      return [`${component} has no HorizontalPodAutoscaler targeting its Deployment`];
    }
    return [];
  });
}

/** Every invariant that holds whatever the values. */
export function checkAll(objects: readonly K8sObject[]): string[] {
  return [
    ...checkZoneSpread(objects),
    ...checkProbes(objects),
    ...checkDisruptionBudgets(objects),
    ...checkNoSecretsInConfigMaps(objects),
    ...checkResources(objects),
    ...checkNonRoot(objects),
    ...checkLayers(objects),
  ];
}

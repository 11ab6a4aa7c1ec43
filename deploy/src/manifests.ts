// Minimal shapes of the Kubernetes objects the chart renders: only the fields the invariant
// checks read. Full schema validation is validate.ts's job.
import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
  readonly stringData?: Record<string, string>;
}

export interface Probe {
  readonly httpGet?: { readonly path: string; readonly port: number | string };
  readonly grpc?: { readonly port: number };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[];
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly resources?: {
    readonly requests?: Record<string, string | number>;
    readonly limits?: Record<string, string | number>;
  };
  readonly securityContext?: SecurityContext;
}

export interface SecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
}

export interface PodSpec {
  readonly containers: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly securityContext?: SecurityContext;
  readonly topologySpreadConstraints?: readonly {
    readonly topologyKey: string;
    readonly labelSelector?: { readonly matchLabels?: Record<string, string> };
  }[];
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'] as const;

export function isWorkload(object: K8sObject): boolean {
  return (WORKLOAD_KINDS as readonly string[]).includes(object.kind);
}

/** Pod template of a Deployment or StatefulSet. */
export function podTemplateOf(workload: K8sObject): {
  labels: Record<string, string>;
  spec: PodSpec;
} {
  const template = workload.spec?.['template'] as
    | { metadata?: { labels?: Record<string, string> }; spec?: PodSpec }
    | undefined;
  if (!template?.spec) throw new Error(`${workload.kind} ${workload.metadata.name} has no pod template`);
  return { labels: template.metadata?.labels ?? {}, spec: template.spec };
}

export function componentOf(object: K8sObject): string | undefined {
  return object.metadata.labels?.['app.kubernetes.io/component'];
}

/** Splits `helm template` output into objects, dropping empty documents. */
export function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      throw new Error(`rendered YAML does not parse: ${document.errors[0]?.message}`);
    }
    const value: unknown = document.toJSON();
    if (value === null || value === undefined) continue;
    objects.push(value as K8sObject);
  }
  return objects;
}

export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

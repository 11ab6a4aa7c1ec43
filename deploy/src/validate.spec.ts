// The two validators must reject what they exist to reject.
import { K8sObject } from './manifests';
import { decodeStrictly, schemaViolations, strictViolations } from './validate';

function deployment(container: Record<string, unknown>): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: {
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i', ...container }] } },
    },
  };
}

describe('schemaViolations (kubernetes-models)', () => {
  it('reports a wrong type and an unknown kind, accepts a valid object', () => {
    const objects = [
      deployment({ ports: [{ containerPort: '80' }] }),
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      deployment({ ports: [{ containerPort: 80 }] }),
    ];
    expect(schemaViolations(objects)).toEqual([
      'Deployment d: /spec/template/spec/containers/0/ports/0/containerPort must be integer',
      'Widget w: no schema bundled for apiVersion example.com/v1',
    ]);
  });
});

describe('strictViolations (k8s-strict)', () => {
  it('reports a misspelt field that the schema validators let through', () => {
    const typo = deployment({ readinesProbe: { httpGet: { path: '/readyz', port: 9100 } } });
    expect(schemaViolations([typo])).toEqual([]);
    expect(strictViolations([typo])).toEqual([
      expect.stringContaining('unknown field "spec.template.spec.containers[0].readinesProbe"'),
    ]);
  });

  it('skips custom resources and accepts a valid object', () => {
    const results = decodeStrictly([
      deployment({}),
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 's' } },
    ]);
    expect(results.map((r) => [r.kind, r.errors.length, r.skipped])).toEqual([
      ['Deployment', 0, false],
      ['ServiceMonitor', 0, true],
    ]);
  });
});

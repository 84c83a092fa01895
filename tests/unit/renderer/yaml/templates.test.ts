import { describe, expect, it } from 'vitest';
import { splitDocuments } from '../../../../src-renderer/features/yaml/documents';
import { templateForKind, templateForResource, templates } from '../../../../src-renderer/features/yaml/templates';

describe('templates', () => {
  it('cover the common kinds, each one object of its kind in the namespace given', () => {
    expect(templates().map((t) => t.kind)).toEqual(['Deployment', 'Service', 'ConfigMap', 'Secret', 'Pod', 'Job', 'CronJob', 'Ingress', 'PersistentVolumeClaim', 'StatefulSet', 'DaemonSet', 'Namespace']);
    for (const t of templates()) {
      const { docs } = splitDocuments(t.text('team-x'));
      expect(docs, t.kind).toHaveLength(1);
      expect(docs[0].errors, t.kind).toEqual([]);
      const o = docs[0].value as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
      expect(o.kind).toBe(t.kind);
      expect(o.apiVersion).toBe(t.apiVersion);
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(o.metadata.namespace).toBe(t.namespaced ? 'team-x' : undefined);
    }
  });
  it('workload templates select their own pod labels', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) {
      const o = splitDocuments(templateForKind(kind)!.text('default')).docs[0].value as { spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } } };
      expect(o.spec.template.metadata.labels, kind).toMatchObject(o.spec.selector.matchLabels);
    }
  });
  it('are found by kind (any case) and by resource', () => {
    expect(templateForKind('cronjob')?.kind).toBe('CronJob');
    expect(templateForResource('apps', 'deployments')?.kind).toBe('Deployment');
    expect(templateForResource('', 'persistentvolumeclaims')?.kind).toBe('PersistentVolumeClaim');
    expect(templateForResource('', 'nodes')).toBeUndefined();
  });
});

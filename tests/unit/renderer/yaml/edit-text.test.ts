import { describe, expect, it } from 'vitest';
import { EDIT_HEADER, editText, objectYaml, parseEdited } from '../../../../src-renderer/features/yaml/edit-text';
import type { KubeObject } from '../../../../src-renderer/api/types';

const live = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: { name: 'web', namespace: 'shop', resourceVersion: '41', managedFields: [{ manager: 'kubectl-create' }], uid: 'u' },
  spec: { replicas: 1 },
  status: { replicas: 1 },
} as KubeObject;

describe('kubectl edit text', () => {
  it('has kubectl\'s header, sorted keys, no managedFields, status kept', () => {
    const t = editText(live);
    expect(t.startsWith(EDIT_HEADER + '\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n')).toBe(true);
    expect(t).not.toContain('managedFields');
    expect(t).toContain('status:\n  replicas: 1');
    expect(objectYaml(live)).toBe(t.slice(EDIT_HEADER.length + 1));
  });
  it('reads the edit back with the resourceVersion it started from', () => {
    const r = parseEdited(editText(live).replace('replicas: 1', 'replicas: 3').replace('resourceVersion: "41"', 'resourceVersion: "99"'), live);
    expect(r.kind).toBe('object');
    if (r.kind !== 'object') return;
    expect((r.object as unknown as { spec: { replicas: number } }).spec.replicas).toBe(3);
    expect(r.object.metadata.resourceVersion).toBe('41');
  });
  it('an empty text cancels; syntax errors, several documents and a renamed object are refused at their lines', () => {
    expect(parseEdited(EDIT_HEADER + '\n', live)).toEqual({ kind: 'empty' });
    const bad = parseEdited('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n bad: [\n', live);
    expect(bad.kind).toBe('errors');
    if (bad.kind === 'errors') expect(bad.errors[0].line).toBeGreaterThanOrEqual(4);
    const two = parseEdited(objectYaml(live) + '---\na: 1\n', live);
    expect(two).toMatchObject({ kind: 'errors', errors: [{ message: expect.stringContaining('only one object') }] });
    const renamed = parseEdited(objectYaml(live).replace('name: web', 'name: other'), live);
    expect(renamed).toMatchObject({ kind: 'errors', errors: [{ message: 'metadata.name may not change (was web)' }] });
  });
});

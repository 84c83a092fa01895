import { describe, expect, it } from 'vitest';
import { applyMergePatch, createMergePatch } from '../../../src-main/apiserver/patch/merge-patch';
import { deployment } from './fixtures';

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, deletes with null, replaces arrays whole', () => {
    const d = deployment();
    const out = applyMergePatch(d, {
      metadata: { labels: { tier: null, env: 'prod' } },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } },
    }) as any;
    expect(out.metadata.labels).toEqual({ app: 'web', env: 'prod' });
    expect(out.spec.replicas).toBe(3);
    expect(out.spec.template.spec.containers).toEqual([{ name: 'nginx', image: 'nginx:1.25' }]);
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'data', emptyDir: {} }]);
    expect((d.metadata.labels as any).tier).toBe('frontend');
  });

  it('follows the RFC 7386 examples', () => {
    expect(applyMergePatch({ a: 'b' }, { a: 'c' })).toEqual({ a: 'c' });
    expect(applyMergePatch({ a: 'b' }, { b: 'c' })).toEqual({ a: 'b', b: 'c' });
    expect(applyMergePatch({ a: 'b' }, { a: null })).toEqual({});
    expect(applyMergePatch({ a: 'b', b: 'c' }, { a: null })).toEqual({ b: 'c' });
    expect(applyMergePatch({ a: ['b'] }, { a: 'c' })).toEqual({ a: 'c' });
    expect(applyMergePatch({ a: 'c' }, { a: ['b'] })).toEqual({ a: ['b'] });
    expect(applyMergePatch({ a: { b: 'c' } }, { a: { b: 'd', c: null } })).toEqual({ a: { b: 'd' } });
    expect(applyMergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
    expect(applyMergePatch(['a', 'b'], ['c', 'd'])).toEqual(['c', 'd']);
    expect(applyMergePatch({ a: 'b' }, ['c'])).toEqual(['c']);
    expect(applyMergePatch({ a: 'foo' }, null)).toEqual(null);
    expect(applyMergePatch({ a: 'foo' }, 'bar')).toEqual('bar');
    expect(applyMergePatch({ e: null }, { a: 1 })).toEqual({ e: null, a: 1 });
    expect(applyMergePatch([1, 2], { a: 'b', c: null })).toEqual({ a: 'b' });
    expect(applyMergePatch({}, { a: { bb: { ccc: null } } })).toEqual({ a: { bb: {} } });
  });

  it('creates the patch between two documents', () => {
    const a = { x: 1, y: { z: 2, w: 3 }, l: [1] };
    const b = { x: 1, y: { z: 5 }, l: [1, 2], n: 'new' };
    const p = createMergePatch(a, b);
    expect(p).toEqual({ y: { z: 5, w: null }, l: [1, 2], n: 'new' });
    expect(applyMergePatch(a, p)).toEqual(b);
  });
});

import { applyPatchBody } from '../../../src-main/apiserver/patch';
import { patchMetaFor } from '../../../src-main/api/patch-meta';

describe('applyPatchBody', () => {
  it('dispatches by patch format', () => {
    const meta = patchMetaFor('apps', 'v1', 'Deployment');
    const d = deployment();
    expect((applyPatchBody('json-patch', d, [{ op: 'replace', path: '/spec/replicas', value: 9 }], meta) as any).spec.replicas).toBe(9);
    expect((applyPatchBody('merge-patch', d, { spec: { replicas: 8 } }, meta) as any).spec.replicas).toBe(8);
    const smp = applyPatchBody('strategic-merge-patch', d, { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'x' }] } } } }, meta) as any;
    expect(smp.spec.template.spec.containers).toHaveLength(2);
    expect(() => applyPatchBody('strategic-merge-patch', d, {}, undefined)).toThrow(/unknown format/);
  });
});

import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyJsonPatchOps, JsonPatchApplyError, parsePointer } from '../../../src-main/apiserver/patch/json-patch';
import { deployment } from './fixtures';
import { statusOf } from '../status-of';

describe('JSON patch (RFC 6902)', () => {
  it('replaces, adds and removes, leaving the input untouched', () => {
    const d = deployment();
    const before = JSON.stringify(d);
    const out = applyJsonPatch(d, [
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'add', path: '/metadata/labels/env', value: 'prod' },
      { op: 'remove', path: '/metadata/labels/tier' },
    ]) as any;
    expect(out.spec.replicas).toBe(5);
    expect(out.metadata.labels).toEqual({ app: 'web', env: 'prod' });
    expect(JSON.stringify(d)).toBe(before);
  });

  it('adds into arrays by index and with "-"', () => {
    const out = applyJsonPatch(deployment(), [
      { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'C', value: '3' } },
      { op: 'add', path: '/spec/template/spec/containers/0/env/0', value: { name: 'Z', value: '0' } },
    ]) as any;
    expect(out.spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual(['Z', 'A', 'B', 'C']);
  });

  it('moves, copies and tests', () => {
    const out = applyJsonPatch({ a: { b: 1 }, c: [1, 2] }, [
      { op: 'test', path: '/a/b', value: 1 },
      { op: 'copy', from: '/a', path: '/d' },
      { op: 'move', from: '/c/0', path: '/c/-' },
      { op: 'move', from: '/a/b', path: '/e' },
    ]);
    expect(out).toEqual({ a: {}, c: [2, 1], d: { b: 1 }, e: 1 });
  });

  it('unescapes ~0 and ~1 in pointers (annotation keys with slashes)', () => {
    expect(parsePointer('/metadata/annotations/a~1b~0c')).toEqual(['metadata', 'annotations', 'a/b~c']);
    const out = applyJsonPatch({ metadata: { annotations: { 'kubernetes.io/change-cause': 'x' } } }, [
      { op: 'replace', path: '/metadata/annotations/kubernetes.io~1change-cause', value: 'y' },
    ]);
    expect(out).toEqual({ metadata: { annotations: { 'kubernetes.io/change-cause': 'y' } } });
  });

  it('answers a failed test with 422 Invalid and the generic message, as the apiserver does', () => {
    const e = statusOf(() => applyJsonPatch(deployment(), [{ op: 'test', path: '/spec/replicas', value: 3 }]));
    expect(e.code).toBe(422);
    expect(e.status.reason).toBe('Invalid');
    expect(e.status.message).toBe('the server rejected our request due to an error in our request');
    expect(e.status.details).toEqual({});
  });

  it('answers a path that does not exist with 422', () => {
    expect(statusOf(() => applyJsonPatch(deployment(), [{ op: 'add', path: '/spec/foo/bar', value: 1 }])).code).toBe(422);
    expect(statusOf(() => applyJsonPatch(deployment(), [{ op: 'remove', path: '/metadata/labels/nope' }])).code).toBe(422);
    expect(statusOf(() => applyJsonPatch(deployment(), [{ op: 'replace', path: '/spec/nope', value: 1 }])).code).toBe(422);
    expect(statusOf(() => applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/5', value: 1 }])).code).toBe(422);
    expect(statusOf(() => applyJsonPatch({ a: 1 }, [{ op: 'frobnicate', path: '/a' }])).code).toBe(422);
  });

  it('keeps the library-style detail for logs', () => {
    expect(() => applyJsonPatchOps({ spec: {} }, [{ op: 'add', path: '/spec/foo/bar', value: 1 }])).toThrow(
      new JsonPatchApplyError('add operation does not apply: doc is missing path: "/spec/foo/bar"'),
    );
  });

  it('answers a body that is not a list of operations with 400', () => {
    const e = statusOf(() => applyJsonPatch(deployment(), { op: 'add' }));
    expect(e.code).toBe(400);
    expect(e.status.reason).toBe('BadRequest');
    expect(e.status.message).toBe('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  });

  it('refuses more than 10000 operations with 413', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/a', value: 1 }));
    const e = statusOf(() => applyJsonPatch({ a: 1 }, ops));
    expect(e.code).toBe(413);
    expect(e.status.message).toContain('The allowed maximum operations in a JSON patch is 10000, got 10001');
  });
});

/** ControllerRevision helpers: upstream's hash functions, safe encoding, names and the template patch data. */
import { describe, expect, it } from 'vitest';
import { computeTemplateHash, controllerRevisionName, fnv32, fnv32a, goJson, hashRevisionData, nextRevision, safeEncodeString, sortRevisions, templateOfRevision, templatePatch } from '../../../../src-main/controllers/history';
import type { KubeObject } from '../../../../src-main/api/types';

describe('history helpers', () => {
  it('FNV-1 and FNV-1a 32-bit match Go hash/fnv', () => {
    expect(fnv32('')).toBe(0x811c9dc5);
    expect(fnv32('a')).toBe(0x050c5d7e);
    expect(fnv32a('a')).toBe(0xe40c292c);
    expect(fnv32a('foobar')).toBe(0xbf9cf968);
  });

  it('SafeEncodeString maps digits onto consonants and digits without vowels', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    expect(safeEncodeString('2166136261')).toBe('65bb57b6b5');
  });

  it('names are <prefix>-<hash>, the prefix cut to 223 characters', () => {
    expect(controllerRevisionName('web', 'abc')).toBe('web-abc');
    expect(controllerRevisionName('x'.repeat(300), 'h')).toBe(`${'x'.repeat(223)}-h`);
  });

  it('data replaces the template ($patch: replace), keys sorted as Go marshals maps', () => {
    const set: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' }, spec: { replicas: 3, template: { spec: { containers: [{ name: 'n', image: 'nginx' }] }, metadata: { labels: { b: '2', a: '1' } } } } };
    const data = templatePatch(set);
    expect(goJson(data)).toBe('{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"a":"1","b":"2"}},"spec":{"containers":[{"image":"nginx","name":"n"}]}}}}');
    expect(hashRevisionData(data)).toBe(safeEncodeString(String(fnv32(goJson(data)))));
    expect(hashRevisionData(data, 1)).not.toBe(hashRevisionData(data));
    expect(templateOfRevision({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: {}, data })).toEqual({ metadata: { labels: { b: '2', a: '1' } }, spec: { containers: [{ name: 'n', image: 'nginx' }] } });
    expect(goJson({ s: '<a&b>' })).toBe('{"s":"\\u003ca\\u0026b\\u003e"}');
    expect(computeTemplateHash((set.spec as Record<string, unknown>).template)).toMatch(/^[456789bcdf]+$/);
  });

  it('orders revisions by number, then creation time, then name; next is max + 1', () => {
    const r = (name: string, revision: number, t = '2026-01-01T00:00:00Z'): KubeObject => ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name, creationTimestamp: t }, revision });
    const sorted = sortRevisions([r('c', 2), r('b', 1, '2026-01-01T00:00:05Z'), r('a', 1, '2026-01-01T00:00:05Z'), r('z', 1)]);
    expect(sorted.map((x) => x.metadata.name)).toEqual(['z', 'a', 'b', 'c']);
    expect(nextRevision(sorted)).toBe(3);
    expect(nextRevision([])).toBe(1);
  });
});

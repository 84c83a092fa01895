import { describe, expect, it } from 'vitest';
import { frozenJsonCopy, internString } from '../../../src-main/storage/frozen-copy';

const pod = (name: string, ip: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'default',
    labels: {},
    finalizers: [],
    managedFields: [
      { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: '2026-11-23T15:40:10Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } } },
      { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: '2026-11-23T15:40:11Z', fieldsType: 'FieldsV1', subresource: 'status', fieldsV1: { 'f:status': { 'f:podIPs': { [`k:{"ip":"${ip}"}`]: { '.': {}, 'f:ip': {} } } } } },
    ],
  },
  spec: { containers: [{ name: 'nginx', image: 'nginx', args: [] }] },
  status: { podIP: ip },
});

describe('frozenJsonCopy', () => {
  it('equals the JSON round trip, deep-frozen, for awkward values', () => {
    const values: unknown[] = [
      { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, NaN, -0, Infinity, 1.5], e: '' },
      { d: new Date(0), m: new Map([[1, 2]]), n: { toJSON: () => 'custom' }, s: new Set([1]) },
      JSON.parse('{"__proto__":{"x":1},"1":2,"b":3}'),
      { empty: {}, none: [], nested: { a: {}, b: [[]] }, fieldsV1: { 'f:x': {} } },
      pod('p', '10.0.0.1'),
    ];
    for (const v of values) {
      const c = frozenJsonCopy(v) as Record<string, unknown>;
      expect(JSON.stringify(c)).toBe(JSON.stringify(v));
      expect(c).toEqual(JSON.parse(JSON.stringify(v)));
      const stack: unknown[] = [c];
      while (stack.length) {
        const x = stack.pop();
        if (x !== null && typeof x === 'object') {
          expect(Object.isFrozen(x)).toBe(true);
          stack.push(...Object.values(x));
        }
      }
    }
    // An own "__proto__" key stays an own, enumerable property (no prototype change).
    const p = frozenJsonCopy(JSON.parse('{"__proto__":{"x":1}}')) as object;
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(Object.keys(p)).toEqual(['__proto__']);
  });

  it('shares empty objects and arrays, and equal fieldsV1 of managedFields entries', () => {
    type P = ReturnType<typeof pod>;
    const a = frozenJsonCopy(pod('a', '10.0.0.1')) as P;
    const b = frozenJsonCopy(pod('b', '10.0.0.2')) as P;
    expect(a.metadata.labels).toBe(b.metadata.labels);
    expect(a.metadata.finalizers).toBe(b.metadata.finalizers);
    expect(a.spec.containers[0]!.args).toBe(b.spec.containers[0]!.args);
    // kube-controller-manager's fields are equal in both pods: one object; the kubelet's differ.
    expect(a.metadata.managedFields[0]!.fieldsV1).toBe(b.metadata.managedFields[0]!.fieldsV1);
    expect(a.metadata.managedFields[1]!.fieldsV1).not.toBe(b.metadata.managedFields[1]!.fieldsV1);
    expect(JSON.stringify(b.metadata.managedFields[1]!.fieldsV1)).toContain('10.0.0.2');
    // Not shared outside fieldsV1: equal non-empty objects elsewhere stay separate copies.
    expect(a.spec.containers[0]).not.toBe(b.spec.containers[0]);
  });

  it('interns short strings only', () => {
    const s1 = ['2026-11-23T15:40:', '10Z'].join('');
    expect(internString(s1)).toBe('2026-11-23T15:40:10Z');
    const long = 'x'.repeat(65);
    expect(internString(long)).toBe(long);
  });
});

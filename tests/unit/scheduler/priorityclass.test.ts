/** PriorityClass validation and Table, and the Priority admission plugin, through the real handler. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestServer } from '../apiserver/fixture';

let s: TestServer;
const PC = '/apis/scheduling.k8s.io/v1/priorityclasses';
const pc = (name: string, value: number, extra: Record<string, unknown> = {}) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra });
const pod = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });

beforeEach(async () => {
  s = new TestServer();
  await s.withNamespaces('default');
});
afterEach(() => s.close());

describe('PriorityClass', () => {
  it('defaults preemptionPolicy and prints NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY', async () => {
    const r = await s.req('POST', PC, pc('high', 1000, { description: 'x' }));
    expect(r.status).toBe(201);
    expect(r.body.preemptionPolicy).toBe('PreemptLowerPriority');
    const t = await s.req('GET', PC, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(t.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy']);
    expect(t.body.rows[0].cells.slice(0, 3)).toEqual(['high', 1000, false]);
    expect(t.body.rows[0].cells[4]).toBe('PreemptLowerPriority');
  });

  it('rejects user values above 1e9, the system- prefix, value changes and a second global default', async () => {
    const big = await s.req('POST', PC, pc('huge', 1_000_000_001));
    expect(big.status).toBe(422);
    expect(big.body.message).toBe('PriorityClass.scheduling.k8s.io "huge" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
    const sys = await s.req('POST', PC, pc('system-mine', 5));
    expect(sys.status).toBe(422);
    expect(sys.body.message).toContain("metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class");
    await s.req('POST', PC, pc('a', 10, { globalDefault: true }));
    const second = await s.req('POST', PC, pc('b', 20, { globalDefault: true }));
    expect(second.status).toBe(403);
    expect(second.body.message).toBe('priorityclasses.scheduling.k8s.io "b" is forbidden: PriorityClass a is already marked as default. Only one default can exist');
    const cur = (await s.req('GET', `${PC}/a`)).body;
    const upd = await s.req('PUT', `${PC}/a`, { ...cur, value: 11 });
    expect(upd.status).toBe(422);
    expect(upd.body.message).toContain('value: Forbidden: may not be changed in an update.');
  });
});

describe('Priority admission', () => {
  it('resolves priorityClassName to priority and preemptionPolicy', async () => {
    await s.req('POST', PC, pc('low', 5, { preemptionPolicy: 'Never' }));
    const r = await s.req('POST', '/api/v1/namespaces/default/pods', pod('p', { priorityClassName: 'low' }));
    expect(r.status).toBe(201);
    expect(r.body.spec.priority).toBe(5);
    expect(r.body.spec.preemptionPolicy).toBe('Never');
  });

  it('forbids an unknown class with the upstream message', async () => {
    const r = await s.req('POST', '/api/v1/namespaces/default/pods', pod('x', { priorityClassName: 'foo' }));
    expect(r.status).toBe(403);
    expect(r.body.message).toBe('pods "x" is forbidden: no PriorityClass with name foo was found');
  });

  it('gives pods without a class the global default, and rejects a conflicting priority', async () => {
    await s.req('POST', PC, pc('def', 100, { globalDefault: true }));
    const r = await s.req('POST', '/api/v1/namespaces/default/pods', pod('p'));
    expect(r.body.spec.priorityClassName).toBe('def');
    expect(r.body.spec.priority).toBe(100);
    const bad = await s.req('POST', '/api/v1/namespaces/default/pods', pod('q', { priorityClassName: 'def', priority: 7 }));
    expect(bad.status).toBe(403);
    expect(bad.body.message).toBe('pods "q" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 100 from the given PriorityClass name');
  });

  it('follows the default class as it comes, changes and goes (pod after pod)', async () => {
    expect((await s.req('POST', '/api/v1/namespaces/default/pods', pod('a0'))).body.spec.priority).toBe(0);
    await s.req('POST', PC, pc('def', 100, { globalDefault: true }));
    expect((await s.req('POST', '/api/v1/namespaces/default/pods', pod('a1'))).body.spec.priority).toBe(100);
    const cur = (await s.req('GET', `${PC}/def`)).body;
    await s.req('PUT', `${PC}/def`, { ...cur, globalDefault: false });
    const a2 = (await s.req('POST', '/api/v1/namespaces/default/pods', pod('a2'))).body.spec;
    expect(a2.priority).toBe(0);
    expect(a2.priorityClassName).toBeUndefined();
    await s.req('POST', PC, pc('other', 50, { globalDefault: true }));
    expect((await s.req('POST', '/api/v1/namespaces/default/pods', pod('a3'))).body.spec.priorityClassName).toBe('other');
    await s.req('DELETE', `${PC}/other`);
    expect((await s.req('POST', '/api/v1/namespaces/default/pods', pod('a4'))).body.spec.priority).toBe(0);
  });

  it('keeps the system classes', async () => {
    await s.req('POST', PC, pc('system-node-critical', 2000001000));
    const d = await s.req('DELETE', `${PC}/system-node-critical`);
    expect(d.status).toBe(403);
    expect(d.body.message).toBe('priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted');
  });
});

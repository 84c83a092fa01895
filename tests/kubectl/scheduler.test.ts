/**
 * The scheduler as kubectl sees it (`kubesim serve --fast`): pods land on workers only and spread
 * over both; impossible placements stay Pending with the upstream FailedScheduling text in
 * `kubectl describe`; PriorityClasses print as upstream. Kubelets are not asserted on here:
 * spec.nodeName and events are the scheduler's part.
 */
import { describe, expect, it } from 'vitest';
import { eventually, useServe, table } from './harness';

const s = useServe();

function podJson(name: string, spec: Record<string, unknown> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }], ...spec } });
}

const nodeOf = (pod: string) => s.ok(['get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName}']).trim();

describe('scheduler through kubectl', () => {
  it('places pods on both workers and never on the control plane', async () => {
    for (const n of ['spread-1', 'spread-2', 'spread-3']) s.ok(['create', '-f', '-'], { stdin: podJson(n) });
    await eventually('three bound pods', () => ['spread-1', 'spread-2', 'spread-3'].every((p) => nodeOf(p) !== ''));
    const nodes = ['spread-1', 'spread-2', 'spread-3'].map(nodeOf);
    expect(nodes).not.toContain('kubesim-control-plane');
    expect(new Set(nodes)).toEqual(new Set(['kubesim-worker', 'kubesim-worker2']));
    const events = s.ok(['get', 'events', '--field-selector', 'involvedObject.name=spread-1,reason=Scheduled', '-o', 'jsonpath={.items[*].message}']);
    expect(events).toBe(`Successfully assigned default/spread-1 to ${nodes[0]}`);
  }, 60_000);

  it('spreads the pods of a 3-replica deployment over both workers', async () => {
    s.ok(['create', 'deployment', 'web3', '--image=nginx:1.25', '--replicas=3']);
    let nodes: string[] = [];
    await eventually('three bound deployment pods', () => {
      nodes = s.ok(['get', 'pods', '-l', 'app=web3', '-o', 'jsonpath={.items[*].spec.nodeName}']).split(' ').filter(Boolean);
      return nodes.length === 3;
    });
    expect(nodes).not.toContain('kubesim-control-plane');
    expect(new Set(nodes)).toEqual(new Set(['kubesim-worker', 'kubesim-worker2']));
  }, 60_000);

  it('keeps a pod with an impossible nodeSelector Pending and describe shows FailedScheduling', async () => {
    s.ok(['create', '-f', '-'], { stdin: podJson('lost', { nodeSelector: { disktype: 'ssd' } }) });
    const msg =
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    let out = '';
    await eventually('the FailedScheduling event', () => (out = s.ok(['describe', 'pod', 'lost'])).includes('FailedScheduling'));
    expect(out).toMatch(/^Status:\s+Pending$/m);
    expect(out).toMatch(/^Node:\s+<none>$/m);
    expect(out).toMatch(new RegExp(`^  Warning  FailedScheduling  \\S+\\s+default-scheduler  ${msg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(s.ok(['get', 'pod', 'lost', '-o', 'jsonpath={.status.conditions[0].reason}'])).toBe('Unschedulable');
    const decision = JSON.parse(s.ok(['get', 'pod', 'lost', '-o', `jsonpath={.metadata.annotations.scheduler\\.kubesim\\.io/decision}`]));
    expect(decision).toMatchObject({ result: 'Unschedulable', message: msg, nodes: 3 });
  }, 60_000);

  it('keeps a pod asking for 100 cpus Pending with Insufficient cpu', async () => {
    s.ok(['create', '-f', '-'], { stdin: podJson('greedy', { containers: [{ name: 'c', image: 'nginx:1.25', resources: { requests: { cpu: '100' } } }] }) });
    await eventually('the Unschedulable condition', () => s.ok(['get', 'pod', 'greedy', '-o', 'jsonpath={.status.conditions[0].message}']) !== '');
    expect(s.ok(['get', 'pod', 'greedy', '-o', 'jsonpath={.status.conditions[0].message}'])).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    expect(table(s.ok(['get', 'pod', 'greedy']))[1].slice(0, 3)).toEqual(['greedy', '0/1', 'Pending']);
  }, 60_000);

  it('lists PriorityClasses with NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY', () => {
    s.ok(['create', 'priorityclass', 'high', '--value=1000', '--description=important']);
    const rows = table(s.ok(['get', 'priorityclass']));
    expect(rows[0]).toEqual(['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
    const byName = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byName.get('high')?.slice(1, 3)).toEqual(['1000', 'false']);
    expect(byName.get('high')?.[4]).toBe('PreemptLowerPriority');
    expect(byName.get('system-node-critical')?.slice(1, 3)).toEqual(['2000001000', 'false']);
    expect(byName.get('system-cluster-critical')?.slice(1, 3)).toEqual(['2000000000', 'false']);
    const r = s.kubectl(['run', 'nope', '--image=nginx', '--overrides={"spec":{"priorityClassName":"missing"}}']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('pods "nope" is forbidden: no PriorityClass with name missing was found');
  });
});

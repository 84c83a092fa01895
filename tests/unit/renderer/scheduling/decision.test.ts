import { describe, expect, it } from 'vitest';
import { parseDecision, parseFitMessage, splitCounted } from '../../../../src-renderer/features/scheduling/decision';
import { classifyReason, countedPhrase, preFilterPhrase } from '../../../../src-renderer/features/scheduling/reasons';
import { BIG_CPU, SCHEDULED } from './fixtures';

describe('decision annotation', () => {
  it('parses what the scheduler writes', () => {
    const p = parseDecision(BIG_CPU);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.decision.result).toBe('Unschedulable');
    expect(p.decision.filtered.map((f) => f.node)).toEqual(['kubesim-control-plane', 'kubesim-worker', 'kubesim-worker2']);
    expect(p.decision.nodes).toBe(3);
    const s = parseDecision(SCHEDULED);
    expect(s.ok && s.decision.scores[0]).toEqual({ node: 'kubesim-worker2', total: 496, plugins: { TaintToleration: 300, NodeResourcesFit: 97, NodeResourcesBalancedAllocation: 99 } });
  });

  it('says why a garbled or missing annotation cannot be used', () => {
    expect(parseDecision(undefined)).toEqual({ ok: false, error: 'missing' });
    expect(parseDecision('{"result":')).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON/) });
    expect(parseDecision('[1,2]')).toEqual({ ok: false, error: 'not a JSON object' });
    expect(parseDecision('{"result":"Maybe"}')).toEqual({ ok: false, error: 'unknown result "Maybe"' });
    expect(parseDecision('{"result":"Scheduled"}')).toEqual({ ok: false, error: 'result Scheduled without a node' });
  });

  it('drops fields of the wrong type instead of trusting them', () => {
    const p = parseDecision(JSON.stringify({ result: 'Unschedulable', nodes: 'three', reasons: ['2 Insufficient cpu', 7], filtered: [{ node: 'a', reasons: 'x' }, { plugin: 'NoNode' }], scores: null, victims: 'x' }));
    expect(p).toEqual({ ok: true, decision: { result: 'Unschedulable', reasons: ['2 Insufficient cpu'], filtered: [{ node: 'a', plugin: '', code: '', reasons: [] }], scores: [] } });
  });
});

describe('FailedScheduling messages', () => {
  it('splits the counted reasons and the preemption part', () => {
    expect(parseFitMessage(JSON.parse(BIG_CPU).message)).toEqual({
      nodes: 3,
      reasons: [
        { count: 1, reason: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }' },
        { count: 2, reason: 'Insufficient cpu' },
      ],
      preemption: 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    });
  });
  it('keeps a PreFilter message whole', () => {
    expect(parseFitMessage('0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.')).toMatchObject({
      nodes: 3,
      reasons: [],
      preFilter: 'pod has unbound immediate PersistentVolumeClaims',
    });
  });
  it('refuses other texts', () => {
    expect(parseFitMessage('something else')).toBeUndefined();
    expect(splitCounted('2 Insufficient cpu')).toEqual({ count: 2, reason: 'Insufficient cpu' });
    expect(splitCounted('Too many pods')).toEqual({ count: 1, reason: 'Too many pods' });
  });
});

describe('reasons in plain words', () => {
  const golden: [string, number, string][] = [
    ['Insufficient cpu', 2, '2 nodes have too little CPU'],
    ['Insufficient memory', 1, '1 node has too little memory'],
    ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }', 1, '1 node has a taint the pod does not tolerate (node-role.kubernetes.io/control-plane)'],
    ['node(s) had untolerated taint {dedicated: gpu}', 2, '2 nodes have a taint the pod does not tolerate (dedicated=gpu)'],
    ["node(s) didn't match Pod's node affinity/selector", 2, "2 nodes don't match the pod's node selector/affinity"],
    ['node(s) were unschedulable', 1, '1 node is cordoned (unschedulable)'],
    ["node(s) didn't have free ports for the requested pod ports", 3, '3 nodes have no free host port the pod needs'],
    ['Too many pods', 1, '1 node already runs as many pods as it may'],
    ["node(s) didn't match pod anti-affinity rules", 2, '2 nodes run pods this pod must stay away from (pod anti-affinity)'],
    ['node(s) had volume node affinity conflict', 1, "1 node can't provide the pod's volumes: had volume node affinity conflict"],
    ['something new', 1, '1 node was rejected: something new'],
  ];
  it.each(golden)('%s ×%i', (raw, n, want) => expect(countedPhrase(n, classifyReason(raw))).toBe(want));
  it('classifies', () => {
    expect(classifyReason('Insufficient nvidia.com/gpu')).toEqual({ kind: 'insufficient', raw: 'Insufficient nvidia.com/gpu', resource: 'nvidia.com/gpu' });
    expect(classifyReason("node(s) didn't satisfy existing pods anti-affinity rules").kind).toBe('existing-anti-affinity');
    expect(classifyReason("node(s) didn't match pod topology spread constraints (missing required label)").kind).toBe('topology-spread');
    expect(preFilterPhrase('persistentvolumeclaim "data" not found')).toBe('its PersistentVolumeClaim "data" does not exist');
  });
});

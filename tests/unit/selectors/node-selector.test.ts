import { describe, expect, it } from 'vitest';
import { nodeSelectorTermMatches, selectableNode } from '../../../src-main/api/selectors/node-selector';

const node = selectableNode({ metadata: { name: 'worker-1', labels: { zone: 'a', cores: '8', 'node-role.kubernetes.io/worker': '' } } });
const match = (term: unknown) => nodeSelectorTermMatches(term, node);

describe('v1.NodeSelectorTerm matching', () => {
  it('ANDs the expressions of a term (In, NotIn, Exists, DoesNotExist, Gt, Lt)', () => {
    expect(match({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] })).toBe(true);
    expect(match({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] })).toBe(false);
    expect(match({ matchExpressions: [{ key: 'gpu', operator: 'NotIn', values: ['x'] }] })).toBe(true);
    expect(match({ matchExpressions: [{ key: 'node-role.kubernetes.io/worker', operator: 'Exists' }, { key: 'gpu', operator: 'DoesNotExist' }] })).toBe(true);
    expect(match({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }, { key: 'cores', operator: 'Lt', values: ['16'] }] })).toBe(true);
    expect(match({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] })).toBe(false);
    expect(match({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gpu', operator: 'Exists' }] })).toBe(false);
  });

  it('matches fields on metadata.name only; an empty term matches nothing', () => {
    expect(match({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-1'] }] })).toBe(true);
    expect(match({ matchFields: [{ key: 'metadata.namespace', operator: 'In', values: ['worker-1'] }] })).toBe(false);
    expect(match({})).toBe(false);
    expect(match(null)).toBe(false);
  });

  it('reads own label keys only (a label key named like an Object property is absent unless set)', () => {
    expect(match({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] })).toBe(false);
    expect(match({ matchExpressions: [{ key: 'zone', operator: 'Unknown', values: ['a'] }] })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { fuzzyMatch, highlight, rank } from '../../../../src-renderer/features/palette/fuzzy';
import { commandItems, kindItems, objectItems } from '../../../../src-renderer/features/palette/items';

describe('fuzzy match', () => {
  it('needs every character in order', () => {
    expect(fuzzyMatch('dpl', 'Deployments')).toBeDefined();
    expect(fuzzyMatch('dlp', 'Deployments')).toBeUndefined();
    expect(fuzzyMatch('xyz', 'Pods')).toBeUndefined();
    expect(fuzzyMatch('', 'Pods')).toEqual({ score: 0, positions: [] });
  });
  it('marks the matched characters, preferring word starts', () => {
    expect(fuzzyMatch('rs', 'ReplicaSets')?.positions).toEqual([0, 7]);
    expect(fuzzyMatch('depl', 'Create deployment')?.positions).toEqual([7, 8, 9, 10]);
    expect(highlight('Pods', [0, 1])).toEqual([
      { text: 'Po', hit: true },
      { text: 'ds', hit: false },
    ]);
  });
  it('scores a prefix over a word start over the middle, and runs over scattered hits', () => {
    const s = (q: string, t: string) => fuzzyMatch(q, t)!.score;
    expect(s('depl', 'Deployments')).toBeGreaterThan(s('depl', 'Create deployment'));
    expect(s('set', 'Settings')).toBeGreaterThan(s('set', 'ReplicaSets'));
    expect(s('set', 'ReplicaSets')).toBeGreaterThan(s('set', 'Resettable'));
    expect(s('pods', 'Pods')).toBeGreaterThan(s('pods', 'PodDisruptionBudgets'));
    expect(s('svc', 'Services')).toBeLessThan(s('serv', 'Services'));
  });
  it('ranks with keywords (short names) as a fallback and weights for ties', () => {
    const items = [
      { label: 'Services', kw: ['svc'], w: 8 },
      { label: 'ServiceAccounts', kw: ['sa'], w: 8 },
      { label: 'Deploy from a template', kw: [], w: 0 },
      { label: 'Deployments', kw: ['deploy'], w: 8 },
    ];
    const top = (q: string) => rank(q, items, (i) => [i.label, ...i.kw], (i) => i.w).map((r) => r.item.label);
    expect(top('depl')[0]).toBe('Deployments');
    expect(top('svc')[0]).toBe('Services');
    expect(top('sa')[0]).toBe('ServiceAccounts');
    expect(top('serv')).toEqual(['Services', 'ServiceAccounts']);
    expect(rank('zz', items, (i) => [i.label])).toEqual([]);
  });
  it('limits the results', () => {
    const many = Array.from({ length: 200 }, (_, i) => `web-${i}`);
    expect(rank('web', many, (t) => [t], () => 0, 10)).toHaveLength(10);
  });
});

describe('palette items', () => {
  it('offers commands, kinds not already offered as "Go to" commands, and listed objects', () => {
    const cmds = commandItems([
      { id: 'go.pods', title: 'Pods', group: 'Go to', keys: 'g p', run: () => {} },
      { id: 'x.create', title: 'Create deployment', run: () => {} },
    ]);
    expect(cmds.map((c) => [c.label, c.group, c.keys])).toEqual([
      ['Pods', 'Go to', 'g p'],
      ['Create deployment', 'Commands', undefined],
    ]);
    const covered = new Set(cmds.filter((c) => c.group === 'Go to').map((c) => c.label));
    const kinds = kindItems(
      [
        { label: 'Pods', group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true },
        { label: 'Deployments', group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
      ],
      (g, r) => (r === 'deployments' ? ['deploy'] : []),
      (c) => `/r/${c.group || 'core'}/${c.version}/${c.resource}`,
      covered,
    );
    expect(kinds.map((k) => [k.label, k.to, k.keywords])).toEqual([['Deployments', '/r/apps/v1/deployments', ['deploy', 'Deployment', 'deployments']]]);
    const objs = objectItems([{ name: 'web-1', namespace: 'shop' }], 'Pod', (o) => `/r/core/v1/pods/${o.namespace}/${o.name}`);
    expect(objs[0]).toMatchObject({ label: 'web-1', group: 'Pod', hint: 'shop', to: '/r/core/v1/pods/shop/web-1' });
    // "depl": the kind first, then the command.
    const ranked = rank('depl', [...cmds, ...kinds, ...objs], (i) => [i.label, ...i.keywords], (i) => i.weight);
    expect(ranked.map((r) => r.item.label)).toEqual(['Deployments', 'Create deployment']);
  });
});

import { describe, expect, it } from 'vitest';
import { resortRows, sameSortKey, searchRows, sortRows, toRow, visibleColumns, type ListRow, type SortSpec } from '../../../src-renderer/util/rows';

const row = (name: string, ns: string, created: string, cells: unknown[]): ListRow => toRow({ metadata: { name, namespace: ns, creationTimestamp: created } }, [name, ...cells]);

const rows = [
  row('pod-10', 'b', '2024-01-01T00:00:10Z', ['1/1', 'Running', 3]),
  row('pod-2', 'a', '2024-01-01T00:00:30Z', ['0/1', 'Pending', 10]),
  row('pod-1', 'a', '2024-01-01T00:00:20Z', ['1/1', 'Running', 0]),
];
const names = (rs: ListRow[]) => rs.map((r) => r.name);

describe('sortRows', () => {
  it('sorts names naturally (pod-2 before pod-10), both ways', () => {
    expect(names(sortRows(rows, { key: { by: 'cell', index: 0 }, desc: false }))).toEqual(['pod-1', 'pod-2', 'pod-10']);
    expect(names(sortRows(rows, { key: { by: 'cell', index: 0 }, desc: true }))).toEqual(['pod-10', 'pod-2', 'pod-1']);
  });
  it('sorts integer columns as numbers', () => {
    expect(names(sortRows(rows, { key: { by: 'cell', index: 3, type: 'integer' }, desc: false }))).toEqual(['pod-1', 'pod-10', 'pod-2']);
  });
  it('sorts AGE by creationTimestamp, youngest first', () => {
    expect(names(sortRows(rows, { key: { by: 'age' }, desc: false }))).toEqual(['pod-2', 'pod-1', 'pod-10']);
    expect(names(sortRows(rows, { key: { by: 'age' }, desc: true }))).toEqual(['pod-10', 'pod-1', 'pod-2']);
  });
  it('sorts by namespace, then name', () => {
    expect(names(sortRows(rows, { key: { by: 'namespace' }, desc: false }))).toEqual(['pod-1', 'pod-2', 'pod-10']);
  });
  it('breaks ties by namespace and name so equal cells keep a stable order', () => {
    expect(names(sortRows(rows, { key: { by: 'cell', index: 2 }, desc: false }))).toEqual(['pod-2', 'pod-1', 'pod-10']);
  });
  it('does not modify its input', () => {
    const before = names(rows);
    sortRows(rows, { key: { by: 'age' }, desc: false });
    expect(names(rows)).toEqual(before);
  });
});

describe('searchRows', () => {
  it('matches every word across cells and namespace, case-insensitively', () => {
    expect(names(searchRows(rows, 'running'))).toEqual(['pod-10', 'pod-1']);
    expect(names(searchRows(rows, 'RUNNING a'))).toEqual(['pod-1']);
    expect(names(searchRows(rows, 'pending 10'))).toEqual(['pod-2']);
    expect(searchRows(rows, '  ')).toHaveLength(3);
    expect(searchRows(rows, 'nothing')).toHaveLength(0);
  });
});

describe('columns and sort keys', () => {
  it('shows priority 0 columns unless wide', () => {
    const cols = [
      { name: 'Name', type: 'string', priority: 0 },
      { name: 'IP', type: 'string', priority: 1 },
      { name: 'Age', type: 'string' },
    ];
    expect(visibleColumns(cols, false)).toEqual([0, 2]);
    expect(visibleColumns(cols, true)).toEqual([0, 1, 2]);
  });
  it('compares sort keys by column, not by type', () => {
    expect(sameSortKey({ by: 'cell', index: 0 }, { by: 'cell', index: 0, type: 'string' })).toBe(true);
    expect(sameSortKey({ by: 'cell', index: 0 }, { by: 'cell', index: 1 })).toBe(false);
    expect(sameSortKey({ by: 'age' }, { by: 'age' })).toBe(true);
    expect(sameSortKey({ by: 'age' }, { by: 'namespace' })).toBe(false);
  });
});

describe('resortRows', () => {
  const mk = (name: string, status: string, created: number): ListRow => toRow({ metadata: { name, namespace: 'ns', creationTimestamp: new Date(created).toISOString() } }, [name, status]);
  const shuffle = <T>(xs: T[], seed: number): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const j = seed % (i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  const specs: SortSpec[] = [
    { key: { by: 'cell', index: 0 }, desc: false },
    { key: { by: 'cell', index: 1 }, desc: true },
    { key: { by: 'age' }, desc: false },
    { key: { by: 'namespace' }, desc: true },
  ];
  it('gives exactly what a full sort gives, whatever the previous order (rows changed, added, gone)', () => {
    const rows = Array.from({ length: 300 }, (_, i) => mk(`p-${i}`, ['Running', 'Pending', 'Failed'][i % 3], 1000 * (i % 17)));
    for (const [n, spec] of specs.entries()) {
      const prev = sortRows(rows, spec);
      // Some rows change their sort value, some go, some come.
      const next = rows.filter((_, i) => i % 11 !== 0).map((r, i) => (i % 7 === 0 ? mk(r.name, 'Succeeded', 5) : r));
      next.push(mk('p-new-1', 'Running', 3), mk('p-new-0', 'Pending', 4));
      const input = shuffle(next, n + 1);
      expect(resortRows(prev, input, spec).map((r) => r.key)).toEqual(sortRows(input, spec).map((r) => r.key));
      expect(resortRows(shuffle(prev, 7), input, specs[(n + 1) % specs.length]).map((r) => r.key)).toEqual(sortRows(input, specs[(n + 1) % specs.length]).map((r) => r.key));
    }
    expect(resortRows(undefined, rows, specs[0])).toEqual(sortRows(rows, specs[0]));
  });
});

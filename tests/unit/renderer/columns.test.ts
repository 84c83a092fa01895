import { describe, expect, it } from 'vitest';
import type { TableColumnDefinition } from '../../../src-renderer/api/types';
import { cellDisplay, gridTemplate, listColumns } from '../../../src-renderer/util/columns';
import { toRow } from '../../../src-renderer/util/rows';

// `kubectl get pods`' columns as the server sends them.
const PODS: TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name', priority: 0 },
  { name: 'Ready', type: 'string', priority: 0 },
  { name: 'Status', type: 'string', priority: 0 },
  { name: 'Restarts', type: 'string', priority: 0 },
  { name: 'Age', type: 'string', priority: 0 },
  { name: 'IP', type: 'string', priority: 1 },
  { name: 'Node', type: 'string', priority: 1 },
];

describe('listColumns', () => {
  it('shows kubectl get pods headers, NAMESPACE first for all namespaces, all with wide', () => {
    expect(listColumns(PODS, { wide: false, showNamespace: false }).map((c) => c.title)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(listColumns(PODS, { wide: false, showNamespace: true }).map((c) => c.title)).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(listColumns(PODS, { wide: true, showNamespace: false }).map((c) => c.title)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE']);
  });
  it('links the first column when the name is only a wide column (events)', () => {
    const events: TableColumnDefinition[] = [
      { name: 'Last Seen', type: 'string', priority: 0 },
      { name: 'Type', type: 'string', priority: 0 },
      { name: 'Name', type: 'string', format: 'name', priority: 1 },
    ];
    const narrow = listColumns(events, { wide: false, showNamespace: true });
    expect(narrow.map((c) => [c.title, !!c.link])).toEqual([['NAMESPACE', false], ['LAST SEEN', true], ['TYPE', false]]);
    const wide = listColumns(events, { wide: true, showNamespace: false });
    expect(wide.filter((c) => c.link).map((c) => c.title)).toEqual(['NAME']);
  });
  it('marks the name, status and age columns', () => {
    const cols = listColumns(PODS, { wide: false, showNamespace: false });
    expect(cols[0].kind).toBe('name');
    expect(cols[2].status).toBe(true);
    expect(cols[4]).toMatchObject({ kind: 'age', sortKey: { by: 'age' } });
  });
});

describe('cellDisplay', () => {
  const row = toRow({ metadata: { name: 'web', namespace: 'shop', creationTimestamp: '2024-01-01T00:00:00Z' } }, ['web', '1/1', 'Running', '0', '5m', null, 'node-1']);
  const cols = listColumns(PODS, { wide: true, showNamespace: true });
  it('renders AGE live from creationTimestamp, not the server cell', () => {
    expect(cellDisplay(cols[5], row, Date.parse('2024-01-01T00:00:42Z'))).toBe('42s');
    expect(cellDisplay(cols[5], row, Date.parse('2024-01-01T03:10:00Z'))).toBe('3h10m');
  });
  it('renders the namespace, cells, and <none> for null cells', () => {
    expect(cellDisplay(cols[0], row, 0)).toBe('shop');
    expect(cellDisplay(cols[3], row, 0)).toBe('Running');
    expect(cellDisplay(cols[6], row, 0)).toBe('<none>');
  });
});

describe('gridTemplate', () => {
  it('sizes columns to their content and lets names take the spare room', () => {
    const cols = listColumns(PODS, { wide: false, showNamespace: false });
    const long = toRow({ metadata: { name: 'a-very-long-pod-name-0123456789' } }, ['a-very-long-pod-name-0123456789', '1/1', 'Running', '0', '1s']);
    const short = gridTemplate(cols, [], 0);
    const wide = gridTemplate(cols, [long], 0);
    expect(wide.minWidth).toBeGreaterThan(short.minWidth);
    expect(wide.template.split(' ')).toHaveLength(cols.length * 2);
    expect(wide.template).toMatch(/^minmax\(\d+px, 3fr\)/);
  });
});

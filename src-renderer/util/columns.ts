/**
 * The generic list's columns: the server Table's columnDefinitions (priority 0 unless wide), a
 * NAMESPACE column first when all namespaces are shown (as `kubectl get -A`), AGE rendered live,
 * and grid widths sized to the content of a sample of rows.
 */
import type { TableColumnDefinition } from '../api/types';
import { age } from './age';
import { cellText, isAgeColumn, visibleColumns, type ListRow, type SortKey } from './rows';
import { isStatusColumn } from './status';

export interface ListColumn {
  id: string;
  /** Upper-case, as kubectl prints headers. */
  title: string;
  kind: 'namespace' | 'name' | 'age' | 'cell';
  /** Index into the row's cells (for name, age and cell columns). */
  index: number;
  status: boolean;
  numeric: boolean;
  /** The cell links to the object's details (name columns, or the first column without one). */
  link?: boolean;
  description?: string;
  sortKey: SortKey;
}

/** NAME and AGE: what kubectl prints for objects without a server-side Table. */
export const FALLBACK_COLUMNS: TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name', priority: 0 },
  { name: 'Age', type: 'date', priority: 0 },
];

export function listColumns(defs: readonly TableColumnDefinition[], opts: { wide: boolean; showNamespace: boolean }): ListColumn[] {
  const out: ListColumn[] = [];
  if (opts.showNamespace) out.push({ id: 'namespace', title: 'NAMESPACE', kind: 'namespace', index: -1, status: false, numeric: false, sortKey: { by: 'namespace' } });
  const vis = visibleColumns(defs, opts.wide);
  for (const i of vis) {
    const d = defs[i];
    const age = isAgeColumn(d);
    const kind: ListColumn['kind'] = d.format === 'name' || (i === 0 && d.name.toLowerCase() === 'name') ? 'name' : age ? 'age' : 'cell';
    out.push({
      id: `c${i}`,
      title: d.name.toUpperCase(),
      kind,
      index: i,
      status: isStatusColumn(d.name),
      numeric: d.type === 'integer' || d.type === 'number',
      description: d.description,
      sortKey: age ? { by: 'age' } : { by: 'cell', index: i, type: d.type },
      link: kind === 'name',
    });
  }
  // Kinds whose name is a wide column (events): the first column links to the details instead.
  if (!out.some((c) => c.kind === 'name')) {
    const first = out.find((c) => c.kind !== 'namespace');
    if (first) first.link = true;
  }
  return out;
}

/** What a cell shows (AGE from creationTimestamp at `now`, so it ticks without the server). */
export function cellDisplay(col: ListColumn, row: ListRow, now: number): string {
  if (col.kind === 'namespace') return row.namespace;
  if (col.kind === 'age') return row.object.metadata.creationTimestamp ? age(row.object.metadata.creationTimestamp, now) : cellText(row.cells[col.index]);
  const v = row.cells[col.index];
  if (col.kind === 'name') return v === null || v === undefined || v === '' ? row.name : cellText(v);
  return v === null || v === undefined ? '<none>' : cellText(v);
}

const CHAR_PX = 7.4;
const PAD_PX = 28;

/** `grid-template-columns` for the columns: each at least as wide as its header and a sample of cells. */
export function gridTemplate(cols: readonly ListColumn[], sample: readonly ListRow[], now: number): { template: string; minWidth: number } {
  let minWidth = 0;
  const parts = cols.map((c) => {
    let chars = c.title.length + 2;
    for (const r of sample) chars = Math.max(chars, Math.min(cellDisplay(c, r, now).length, c.kind === 'name' ? 64 : 48));
    if (c.kind === 'age') chars = Math.max(chars, 7);
    const px = Math.round(chars * CHAR_PX + PAD_PX);
    minWidth += px;
    // Names take the spare room; other columns grow a little with their content.
    return c.kind === 'name' ? `minmax(${px}px, 3fr)` : `minmax(${px}px, ${Math.max(1, Math.round(chars / 8))}fr)`;
  });
  return { template: parts.join(' '), minWidth };
}

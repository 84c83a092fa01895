/**
 * The generic list's rows (one per object of a Table) and what the list does with them: text
 * search across cells, sort by any column (AGE by creationTimestamp, numbers as numbers, text
 * naturally so `pod-2` < `pod-10`).
 */
import type { KubeObject, TableColumnDefinition } from '../api/types';

export interface ListRow {
  /** `namespace/name`. */
  key: string;
  name: string;
  namespace: string;
  /** creationTimestamp in ms (NaN when absent). */
  created: number;
  cells: readonly unknown[];
  object: KubeObject;
}

export function rowKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

export function toRow(object: KubeObject, cells: readonly unknown[] | undefined): ListRow {
  const created = object.metadata.creationTimestamp ? Date.parse(object.metadata.creationTimestamp) : NaN;
  return { key: rowKey(object), name: object.metadata.name, namespace: object.metadata.namespace ?? '', created, cells: cells ?? [object.metadata.name], object };
}

/** A column is the AGE column kubectl prints (rendered live from creationTimestamp). */
export function isAgeColumn(c: TableColumnDefinition): boolean {
  return c.name.toLowerCase() === 'age';
}

/** The columns shown: priority 0 only unless `wide` (kubectl's `-o wide`). */
export function visibleColumns(cols: readonly TableColumnDefinition[], wide: boolean): number[] {
  const out: number[] = [];
  cols.forEach((c, i) => {
    if (wide || !c.priority) out.push(i);
  });
  return out;
}

export type SortKey = { by: 'namespace' } | { by: 'age' } | { by: 'cell'; index: number; type?: string };

/** The same sort (a cell's type does not matter, only which cell). */
export function sameSortKey(a: SortKey, b: SortKey): boolean {
  if (a.by !== b.by) return false;
  return a.by !== 'cell' || (b.by === 'cell' && a.index === b.index);
}

export interface SortSpec {
  key: SortKey;
  desc: boolean;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function compareCells(a: unknown, b: unknown, type: string | undefined): number {
  if ((type === 'integer' || type === 'number') && typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(cellText(a), cellText(b));
}

/**
 * Sorted copy. AGE ascending means youngest first, like reading ages (1s < 5m); ties are broken
 * by namespace and name so the order is stable while rows update.
 */
export function sortRows(rows: readonly ListRow[], spec: SortSpec): ListRow[] {
  const k = spec.key;
  const sign = spec.desc ? -1 : 1;
  const tie = (a: ListRow, b: ListRow): number => collator.compare(a.namespace, b.namespace) || collator.compare(a.name, b.name);
  let cmp: (a: ListRow, b: ListRow) => number;
  if (k.by === 'namespace') cmp = (a, b) => sign * collator.compare(a.namespace, b.namespace) || collator.compare(a.name, b.name);
  else if (k.by === 'age') cmp = (a, b) => sign * ((Number.isNaN(b.created) ? 0 : b.created) - (Number.isNaN(a.created) ? 0 : a.created)) || tie(a, b);
  else cmp = (a, b) => sign * compareCells(a.cells[k.index], b.cells[k.index], k.type) || tie(a, b);
  return [...rows].sort(cmp);
}

/**
 * `sortRows`, starting from the order of `prev` (the last result): rows keep their previous
 * places and new ones go last before sorting, so while a watch streams updates into 10 000 rows
 * the (merge-based, run-detecting) sort sees an almost sorted array and compares each row about
 * once instead of ~14 times. The result never depends on `prev`, only the work does.
 */
export function resortRows(prev: readonly ListRow[] | undefined, rows: readonly ListRow[], spec: SortSpec): ListRow[] {
  if (!prev || prev.length === 0) return sortRows(rows, spec);
  const pos = new Map<string, number>();
  for (let i = 0; i < prev.length; i++) pos.set(prev[i].key, i);
  const placed: (ListRow | undefined)[] = new Array(prev.length);
  const fresh: ListRow[] = [];
  for (const r of rows) {
    const i = pos.get(r.key);
    if (i === undefined || placed[i]) fresh.push(r);
    else placed[i] = r;
  }
  const start: ListRow[] = [];
  for (const r of placed) if (r) start.push(r);
  for (const r of fresh) start.push(r);
  return sortRows(start, spec);
}

/** Rows whose cells (or namespace) contain every word of `query`, case-insensitively. */
export function searchRows(rows: readonly ListRow[], query: string): ListRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return rows as ListRow[];
  return rows.filter((r) => {
    const hay = `${r.namespace} ${r.cells.map(cellText).join(' ')}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

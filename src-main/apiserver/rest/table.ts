/**
 * Server-side Tables (meta.k8s.io/v1 Table) for `kubectl get`: the kind's columns and rows, or
 * upstream's default NAME / CREATED AT table for kinds without a printer.
 */
import type { ColumnDef, Cell, ResourceDef } from '../../api/resource';
import type { KubeObject, ListMeta } from '../../api/types';
import { badRequest } from '../../api/errors';
import { jsonText, rememberJson } from '../../storage/json-cache';

const DEFAULT_COLUMNS: ColumnDef[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', priority: 0 },
  { name: 'Created At', type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata', priority: 0 },
];

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectOption(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject') ?? 'Metadata';
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object') {
    throw badRequest(`includeObject: Unsupported value: "${v}": supported values: "None", "Metadata", "Object"`);
  }
  return v;
}

export function partialMetadata(obj: KubeObject): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

function rowOf(def: ResourceDef, obj: KubeObject, now: number, include: IncludeObject): Record<string, unknown> {
  let cells: Cell[];
  if (def.table) {
    try {
      cells = def.table.row(obj, now);
    } catch {
      cells = def.table.columns.map((c, i) => (i === 0 ? obj.metadata.name ?? '' : '<unknown>'));
    }
  } else {
    cells = [obj.metadata.name ?? '', obj.metadata.creationTimestamp ?? null];
  }
  const row: Record<string, unknown> = { cells };
  const conds = def.table?.conditions?.(obj);
  if (conds && conds.length) row.conditions = conds;
  if (include === 'Metadata') row.object = partialMetadata(obj);
  else if (include === 'Object') row.object = obj;
  return row;
}

export function toTable(def: ResourceDef, items: KubeObject[], meta: ListMeta, include: IncludeObject, withHeaders = true): Record<string, unknown> {
  const now = Date.now();
  const table = {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: withHeaders ? (def.table?.columns ?? DEFAULT_COLUMNS) : [],
    rows: items.map((o) => rowOf(def, o, now, include)),
  };
  // Its JSON, when a transport asks: rows assembled from the stored objects' metadata texts.
  rememberJson(table, () => tableJson(table));
  return table;
}

/** JSON.stringify of a table as toTable built it (keys in the same order), faster for many rows. */
function tableJson(t: { metadata: ListMeta; columnDefinitions: unknown; rows: Record<string, unknown>[] }): string {
  let out = `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${jsonText(t.metadata)},"columnDefinitions":${JSON.stringify(t.columnDefinitions)},"rows":[`;
  const rows = t.rows;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    out += `${i ? ',' : ''}{"cells":${jsonText(row.cells)}`;
    if (row.conditions !== undefined) out += `,"conditions":${jsonText(row.conditions)}`;
    const o = row.object as Record<string, unknown> | undefined;
    if (o !== undefined) {
      // partialMetadata's shape: {kind, apiVersion, metadata}.
      if (o.kind === 'PartialObjectMetadata' && Object.keys(o).length === 3 && o.metadata !== null && typeof o.metadata === 'object') out += `,"object":{"kind":"PartialObjectMetadata","apiVersion":${JSON.stringify(o.apiVersion)},"metadata":${jsonText(o.metadata)}}`;
      else out += `,"object":${jsonText(o)}`;
    }
    out += '}';
  }
  return `${out}]}`;
}

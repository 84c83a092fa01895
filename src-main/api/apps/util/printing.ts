/**
 * Column definitions and cell helpers shared by the non-core kinds' server-side Tables
 * (upstream pkg/printers/internalversion/printers.go). Descriptions are the API doc strings
 * upstream takes from SwaggerDoc().
 */
import type { ColumnDef } from '../../resource';
import type { KubeObject } from '../../types';
import { asArray, asObject, asString } from '../../types';
import { CREATION_TIMESTAMP_DESCRIPTION, NAME_DESCRIPTION } from '../../core/common';

export const NAME_DESC = NAME_DESCRIPTION;
export const AGE_DESC = CREATION_TIMESTAMP_DESCRIPTION;
export const CONTAINERS_DESC = 'Names of each container in the template.';
export const IMAGES_DESC = 'Images referenced by each container in the template.';

export function nameColumn(): ColumnDef {
  return { name: 'Name', type: 'string', format: 'name', description: NAME_DESC, priority: 0 };
}

export function ageColumn(): ColumnDef {
  return { name: 'Age', type: 'string', description: AGE_DESC, priority: 0 };
}

export function col(name: string, type: ColumnDef['type'], description: string, priority: 0 | 1 = 0): ColumnDef {
  return { name, type, description, priority };
}

/** layoutContainerCells: container names and images, each joined with `,`. */
/** The `-o wide` CONTAINERS, IMAGES (and, with a description, SELECTOR) columns of workloads. */
export function templateWideColumns(selectorDescription?: string): ColumnDef[] {
  const cols = [col('Containers', 'string', CONTAINERS_DESC, 1), col('Images', 'string', IMAGES_DESC, 1)];
  if (selectorDescription !== undefined) cols.push(col('Selector', 'string', selectorDescription, 1));
  return cols;
}

export function containerCells(podTemplate: unknown): [string, string] {
  const spec = asObject(asObject(podTemplate).spec);
  const containers = asArray(spec.containers).map(asObject);
  return [containers.map((c) => asString(c.name) ?? '').join(','), containers.map((c) => asString(c.image) ?? '').join(',')];
}

export function nameOf(obj: KubeObject): string {
  return obj.metadata.name ?? '';
}

/** int32 cell: a number, 0 when unset. */
export function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** intstr.IntOrString.String(): `25%` or `1`. */
export function intOrStringText(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return '';
}

/** The default Table for built-in kinds without a printer (rest.DefaultTableConvertor): Name, Created At. */
export const CREATED_AT_COLUMNS: ColumnDef[] = [nameColumn(), { name: 'Created At', type: 'date', description: AGE_DESC, priority: 0 }];

export function createdAtRow(obj: KubeObject): [string, string] {
  const ts = obj.metadata.creationTimestamp;
  let created = '0001-01-01T00:00:00Z';
  if (ts) {
    const t = Date.parse(ts);
    if (!Number.isNaN(t)) created = new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return [nameOf(obj), created];
}

/**
 * Small pieces the core kind files share: the NAME/AGE column definitions (with the
 * ObjectMeta swagger texts upstream uses), object narrowing and map helpers.
 */
import type { ColumnDef } from '../resource';
import type { KubeObject } from '../types';
import { asArray, isObject } from '../types';

export type Obj = Record<string, unknown>;

export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const NAME_COLUMN: ColumnDef = { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 };
export const AGE_COLUMN: ColumnDef = { name: 'Age', type: 'string', description: CREATION_TIMESTAMP_DESCRIPTION, priority: 0 };

export function col(name: string, description: string, priority: 0 | 1 = 0, type: ColumnDef['type'] = 'string'): ColumnDef {
  return { name, type, description, priority };
}

export function o(v: unknown): Obj {
  return isObject(v) ? v : {};
}

export function list(v: unknown): Obj[] {
  return asArray(v).filter(isObject);
}

export function s(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function n(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function specOf(obj: KubeObject): Obj {
  if (!isObject(obj.spec)) obj.spec = {};
  return obj.spec as Obj;
}

export function statusOf(obj: KubeObject): Obj {
  if (!isObject(obj.status)) obj.status = {};
  return obj.status as Obj;
}

export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o(v))) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Does a map selector (`{app: web}`) select these labels? An empty selector selects nothing here. */
export function mapSelectorMatches(sel: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const keys = Object.keys(sel);
  if (keys.length === 0) return false;
  return keys.every((k) => labels?.[k] === sel[k]);
}

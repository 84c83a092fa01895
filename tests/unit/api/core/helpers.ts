import type { ResourceDef } from '../../../../src-main/api/resource';
import type { KubeObject } from '../../../../src-main/api/types';
import { fieldErrorMessage } from '../../../../src-main/api/field-errors';

/** Runs the create pipeline of one kind the way the API server does (minus admission/storage). */
export function create(def: ResourceDef, body: Partial<KubeObject> & Record<string, unknown>, namespace = 'default'): { obj: KubeObject; errors: string[] } {
  const obj = structuredClone(body) as KubeObject;
  obj.apiVersion = 'v1';
  obj.kind = def.kind;
  obj.metadata = obj.metadata ?? {};
  if (def.namespaced) obj.metadata.namespace = obj.metadata.namespace ?? namespace;
  obj.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
  obj.metadata.uid = 'uid-1';
  def.default?.(obj);
  if (def.subresources?.includes('status')) delete obj.status;
  def.prepareForCreate?.(obj, { namespace, now: new Date('2024-01-01T00:00:00Z') });
  const errors = (def.validate?.(obj, undefined) ?? []).map(fieldErrorMessage);
  return { obj, errors };
}

/** Runs the update pipeline: status carried over for kinds with a status subresource. */
export function update(def: ResourceDef, old: KubeObject, mutate: (o: KubeObject) => void): { obj: KubeObject; errors: string[] } {
  const obj = structuredClone(old);
  mutate(obj);
  if (def.subresources?.includes('status')) obj.status = structuredClone(old.status);
  def.default?.(obj);
  def.prepareForUpdate?.(obj, old, { namespace: old.metadata.namespace ?? '', now: new Date() });
  const errors = (def.validate?.(obj, old) ?? []).map(fieldErrorMessage);
  return { obj, errors };
}

export function errorsOf(def: ResourceDef, body: Partial<KubeObject> & Record<string, unknown>): string[] {
  return create(def, body).errors;
}

export const NOW = Date.parse('2024-01-01T01:00:00Z');

/** Cells by column name (upper-cased as kubectl shows them). */
export function rowOf(def: ResourceDef, obj: KubeObject, now = NOW): Record<string, unknown> {
  const cells = def.table!.row(obj, now);
  const out: Record<string, unknown> = {};
  def.table!.columns.forEach((c, i) => (out[c.name.toUpperCase()] = cells[i]));
  return out;
}

export function obj(kind: string, name: string, rest: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind, metadata: { name, namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z', ...meta }, ...rest } as KubeObject;
}

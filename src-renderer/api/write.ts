/**
 * Writes, as kubectl sends them: create (POST), replace (PUT), patch (merge, strategic, JSON
 * patch, server-side apply), each optionally a server-side dry run. Errors are ApiError with the
 * server's Status (an Invalid answer's field causes in `details.causes`).
 */
import { request } from './kube';
import type { KubeObject } from './types';

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface WriteOptions {
  /** `?dryRun=All`: validated and admitted, not stored. */
  dryRun?: boolean;
  /** Defaults to `kubesim-ui` (server-side apply requires one). */
  fieldManager?: string;
  /** Server-side apply only: take fields other managers own. */
  force?: boolean;
  /** Unknown or duplicate fields: `Strict` refuses them with 400 (kubectl's default), `Warn` prunes with a warning. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export const UI_FIELD_MANAGER = 'kubesim-ui';

function withQuery(path: string, o: WriteOptions, patchType?: PatchType): string {
  const q = new URLSearchParams();
  if (o.dryRun) q.set('dryRun', 'All');
  q.set('fieldManager', o.fieldManager ?? UI_FIELD_MANAGER);
  if (patchType === 'apply' && o.force) q.set('force', 'true');
  if (o.fieldValidation) q.set('fieldValidation', o.fieldValidation);
  return `${path}?${q}`;
}

async function send<T>(url: string, method: string, contentType: string, body: string): Promise<T> {
  const res = await request(url, { method, headers: { 'content-type': contentType }, body });
  return (await res.json()) as T;
}

/** POST to a collection path (util/paths.ts collectionPath). */
export function createObject<T extends KubeObject>(collectionPath: string, obj: KubeObject, o: WriteOptions = {}): Promise<T> {
  return send<T>(withQuery(collectionPath, o), 'POST', 'application/json', JSON.stringify(obj));
}

/** PUT the whole object (its metadata.resourceVersion guards against lost updates: 409 Conflict). */
export function replaceObject<T extends KubeObject>(objectPath: string, obj: KubeObject, o: WriteOptions = {}): Promise<T> {
  return send<T>(withQuery(objectPath, o), 'PUT', 'application/json', JSON.stringify(obj));
}

/** PATCH an object (or a subresource path such as `…/scale`); `patch` is sent as JSON. */
export function patchObject<T extends KubeObject>(objectPath: string, patch: unknown, type: PatchType = 'merge', o: WriteOptions = {}): Promise<T> {
  return send<T>(withQuery(objectPath, o, type), 'PATCH', PATCH_CONTENT_TYPE[type], JSON.stringify(patch));
}

/**
 * ControllerRevision helpers shared by the StatefulSet and DaemonSet controllers, after upstream's
 * pkg/controller/history and the controllers' getPatch/snapshot code:
 *
 * - a revision's `data` is a patch that replaces the pod template:
 *   `{"spec":{"template":{"$patch":"replace", …}}}` (keys sorted, as Go marshals maps);
 * - StatefulSet revisions are named `<set>-<hash>` where hash = SafeEncodeString(FNV-32 of the data's
 *   JSON bytes [+ collisionCount]) and carry the label `controller.kubernetes.io/hash`;
 * - DaemonSet revisions are named `<ds>-<hash>` with hash = the pod-template hash (FNV-32a of the
 *   template [+ collisionCount]) and carry the label `controller-revision-hash`;
 * - revision numbers grow by one per new template; going back to an old template bumps the old
 *   revision's number instead of creating a copy.
 */
import type { KubeObject, OwnerReference } from '../api/types';
import { isObject } from '../api/types';
import { StatusError } from '../api/errors';
import { R, type KubeClient } from '../client';

/** Label with the data hash on StatefulSet revisions (history.ControllerRevisionHashLabel). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';
/** Label on DaemonSet revisions and on both controllers' pods (apps.DefaultDaemonSetUniqueLabelKey / StatefulSetRevisionLabel). */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: maps every character onto an alphabet without vowels (no bad words). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += ALPHANUMS[ch.codePointAt(0)! % ALPHANUMS.length];
  return out;
}

/** FNV-1 32-bit (Go's hash/fnv New32) over the UTF-8 bytes of `text`. */
export function fnv32(text: string, h = 0x811c9dc5): number {
  for (const b of Buffer.from(text, 'utf8')) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
  return h >>> 0;
}

/** FNV-1a 32-bit (Go's hash/fnv New32a). */
export function fnv32a(text: string, h = 0x811c9dc5): number {
  for (const b of Buffer.from(text, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

function escapeGo(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON as Go's encoding/json writes a map[string]interface{}: keys sorted, `<>&` escaped. */
export function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return escapeGo(v);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${escapeGo(k)}:${goJson(x)}`).join(',')}}`;
  }
  return 'null';
}

/** The pod template as the typed Go encoder writes it (`metadata.creationTimestamp: null` included). */
function encodedTemplate(template: unknown): Record<string, unknown> {
  const t = structuredClone(isObject(template) ? template : {}) as Record<string, unknown>;
  const meta = (isObject(t.metadata) ? t.metadata : (t.metadata = {})) as Record<string, unknown>;
  if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
  if (!isObject(t.spec)) t.spec = {};
  return t;
}

/** getPatch: `{spec: {template: {…template, $patch: 'replace'}}}` of a StatefulSet or DaemonSet. */
export function templatePatch(owner: KubeObject): Record<string, unknown> {
  const template = encodedTemplate((owner.spec as Record<string, unknown> | undefined)?.template);
  template.$patch = 'replace';
  return { spec: { template } };
}

/** The template a revision's data holds (ApplyRevision for both controllers). */
export function templateOfRevision(revision: KubeObject): Record<string, unknown> {
  const data = isObject(revision.data) ? revision.data : {};
  const spec = isObject(data.spec) ? data.spec : {};
  const t = structuredClone(isObject(spec.template) ? spec.template : {}) as Record<string, unknown>;
  delete t.$patch;
  const meta = t.metadata as Record<string, unknown> | undefined;
  if (meta && meta.creationTimestamp === null) delete meta.creationTimestamp;
  return t;
}

/** The owner with its template replaced by the revision's (ApplyRevision). */
export function applyRevision<T extends KubeObject>(owner: T, revision: KubeObject): T {
  const copy = structuredClone(owner);
  (copy.spec as Record<string, unknown>).template = templateOfRevision(revision);
  return copy;
}

/** history.HashControllerRevision: FNV-32 of the data's JSON plus the collision count, safe-encoded. */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  let h = fnv32(goJson(data));
  if (collisionCount !== undefined) h = fnv32(String(collisionCount), h);
  return safeEncodeString(String(h));
}

/** controller.ComputeHash: the pod-template hash (FNV-32a of the template, plus the collision count). */
export function computeTemplateHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(goJson(encodedTemplate(template)));
  if (collisionCount !== undefined && collisionCount !== null) h = fnv32a(String(collisionCount), h);
  return safeEncodeString(String(h));
}

/** history.ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to 223 characters. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

export function revisionNumber(r: KubeObject): number {
  return typeof r.revision === 'number' ? r.revision : 0;
}

/** Sorted by revision, then creation time, then name (SortControllerRevisions). */
export function sortRevisions(revisions: readonly KubeObject[]): KubeObject[] {
  return [...revisions].sort((a, b) => {
    const d = revisionNumber(a) - revisionNumber(b);
    if (d !== 0) return d;
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb) return ta < tb ? -1 : 1;
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  });
}

/** One more than the highest revision (1 for none). */
export function nextRevision(revisions: readonly KubeObject[]): number {
  let max = 0;
  for (const r of revisions) max = Math.max(max, revisionNumber(r));
  return max + 1;
}

/** Same data (EqualRevision compares the raw bytes; we compare the canonical JSON). */
export function equalRevisionData(a: KubeObject, b: KubeObject): boolean {
  return goJson(a.data) === goJson(b.data);
}

export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

/** metav1.NewControllerRef. */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** Revisions in the owner's namespace whose controller is the owner (ListControllerRevisions, owned part). */
export function ownedRevisions(all: readonly KubeObject[], owner: KubeObject): KubeObject[] {
  return all.filter((r) => controllerRefOf(r)?.uid === owner.metadata.uid);
}

/**
 * CreateControllerRevision: creates `revision`, naming it with `nameFor(collisionCount)`; a name
 * taken by a revision with other data bumps `collision.count` and tries again; one with the same
 * data is returned as is.
 */
export async function createControllerRevision(client: KubeClient, namespace: string, revision: KubeObject, collision: { count: number }, nameFor: (collisionCount: number) => string): Promise<KubeObject> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const candidate = structuredClone(revision);
    candidate.metadata.name = nameFor(collision.count);
    try {
      return await client.create(R.controllerrevisions, namespace, candidate);
    } catch (e) {
      if (!(e instanceof StatusError) || e.code !== 409) throw e;
      const existing = await client.tryGet(R.controllerrevisions, namespace, candidate.metadata.name);
      if (existing && equalRevisionData(existing, candidate)) return existing;
      collision.count++;
    }
  }
  throw new Error(`could not find a free name for a ControllerRevision of ${revision.metadata.ownerReferences?.[0]?.name ?? '?'}`);
}

/** UpdateControllerRevision: gives an existing revision a new number (a rollback to its template). */
export async function setRevisionNumber(client: KubeClient, revision: KubeObject, revisionNumberValue: number): Promise<KubeObject> {
  if (revisionNumber(revision) === revisionNumberValue) return revision;
  return client.patch(R.controllerrevisions, revision.metadata.namespace, revision.metadata.name ?? '', 'merge', { revision: revisionNumberValue });
}

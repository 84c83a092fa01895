/**
 * Controller references (pkg/controller/controller_ref_manager.go): who controls an object, the
 * `controller-uid` index on informers, and claiming (adopting orphans that match the selector,
 * releasing owned objects that stopped matching) through strategic merge patches of
 * `metadata.ownerReferences` with the object's uid as precondition, as upstream.
 */
import type { KubeObject, OwnerReference } from '../api/types';
import type { LabelSelector } from '../api/selectors/labels';
import { StatusError } from '../api/errors';
import type { KubeClient, ResourceRef } from '../client';

export interface GroupVersionKind {
  apiVersion: string;
  kind: string;
}

/** The index of informers' objects by their controller's uid (`ORPHAN` for none). */
export const CONTROLLER_UID_INDEX = 'controller-uid';
export const ORPHAN = '<orphan>';

export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function controllerUidIndexFunc(obj: KubeObject): string[] {
  return [obj.metadata.namespace + '/' + (getControllerOf(obj)?.uid ?? ORPHAN)];
}

/** Objects of `namespace` controlled by `uid`, plus the orphans of that namespace (from the index). */
export function ownedOrOrphan<T extends KubeObject>(inf: { byIndex(index: string, value: string): T[] }, namespace: string, uid: string): T[] {
  return [...inf.byIndex(CONTROLLER_UID_INDEX, `${namespace}/${uid}`), ...inf.byIndex(CONTROLLER_UID_INDEX, `${namespace}/${ORPHAN}`)];
}

/** metav1.NewControllerRef. */
export function newControllerRef(owner: KubeObject, gvk: GroupVersionKind): OwnerReference {
  return { apiVersion: gvk.apiVersion, kind: gvk.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/**
 * controller.RecheckDeletionTimestamp: before the first adoption, read the owner fresh from the
 * API and refuse if it is gone, replaced (other uid) or being deleted.
 */
export function recheckDeletionTimestamp(client: KubeClient, ref: ResourceRef, owner: KubeObject): () => Promise<void> {
  return async () => {
    const fresh = await client.get(ref, owner.metadata.namespace, owner.metadata.name ?? '');
    if (fresh.metadata.uid !== owner.metadata.uid) {
      throw new Error(`original ${owner.metadata.namespace}/${owner.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${owner.metadata.uid}`);
    }
    if (fresh.metadata.deletionTimestamp) {
      throw new Error(`${owner.metadata.namespace}/${owner.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  };
}

export interface ClaimOptions {
  client: KubeClient;
  /** The owner's kind (for the owner reference). */
  ownerKind: GroupVersionKind;
  owner: KubeObject;
  selector: LabelSelector;
  /** Called once, before the first adoption (usually `recheckDeletionTimestamp`). */
  canAdopt: () => Promise<void>;
}

/**
 * ControllerRefManager.ClaimObject over a list: keeps what the owner controls and still matches,
 * adopts matching orphans, releases owned objects that no longer match (unless the owner is being
 * deleted). Returns the claimed objects (adopted ones as the patch returned them). Objects that
 * vanish meanwhile are skipped; other errors are collected and the first one is thrown after the
 * whole list was processed, as upstream's aggregate.
 */
export async function claimObjects<T extends KubeObject>(ref: ResourceRef, objects: T[], o: ClaimOptions): Promise<T[]> {
  const claimed: T[] = [];
  const errors: unknown[] = [];
  let adoptChecked: Promise<void> | undefined;
  const ownerUid = o.owner.metadata.uid;
  const ownerDeleting = !!o.owner.metadata.deletionTimestamp;
  for (const obj of objects) {
    const cref = getControllerOf(obj);
    const matches = o.selector.matches(obj.metadata.labels);
    try {
      if (cref) {
        if (cref.uid !== ownerUid) continue;
        if (matches) {
          claimed.push(obj);
          continue;
        }
        if (ownerDeleting) continue;
        await patchOwnerRefs(o.client, ref, obj, [{ $patch: 'delete', uid: ownerUid }]);
        continue;
      }
      if (ownerDeleting || !matches || obj.metadata.deletionTimestamp) continue;
      if (o.owner.metadata.namespace && o.owner.metadata.namespace !== obj.metadata.namespace) continue;
      adoptChecked ??= o.canAdopt();
      await adoptChecked;
      const adopted = await patchOwnerRefs(o.client, ref, obj, [newControllerRef(o.owner, o.ownerKind)]);
      if (adopted) claimed.push(adopted as T);
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length) throw errors[0];
  return claimed;
}

async function patchOwnerRefs(client: KubeClient, ref: ResourceRef, obj: KubeObject, refs: object[]): Promise<KubeObject | undefined> {
  try {
    return await client.patch(ref, obj.metadata.namespace, obj.metadata.name ?? '', 'strategic', { metadata: { ownerReferences: refs, uid: obj.metadata.uid } });
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) return undefined;
    throw e;
  }
}

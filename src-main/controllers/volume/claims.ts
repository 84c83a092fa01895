/**
 * Reading claims, volumes and classes (pv_controller helpers): a claim's class (the beta
 * annotation wins, as GetPersistentVolumeClaimClass), the default class, binding state, the
 * claims a pod uses, and findMatchingVolume (class, selector, access modes, volume mode,
 * capacity: the smallest volume that fits; a volume pre-bound to the claim wins).
 */
import type { KubeObject } from '../../api/types';
import { isObject } from '../../api/types';
import { labelSelectorFromObject } from '../../api/selectors/labels';
import { compareQuantities, isQuantity } from '../../api/core/quantity';
import { isDefaultClass } from '../../api/storage/storageclass';
import { nodeSelectorTermMatches, selectableNode } from '../../api/selectors/node-selector';
import { ANN_BETA_STORAGE_CLASS, ANN_BIND_COMPLETED, POD_CLAIM_INDEX } from './annotations';

type Obj = Record<string, unknown>;

export function specOf(o: KubeObject): Obj {
  return (isObject(o.spec) ? o.spec : {}) as Obj;
}

export function statusOf(o: KubeObject): Obj {
  return (isObject(o.status) ? o.status : {}) as Obj;
}

export function phaseOf(o: KubeObject): string {
  const p = statusOf(o).phase;
  return typeof p === 'string' ? p : '';
}

/** The class name of a claim or volume ('' = none). */
export function classOf(o: KubeObject): string {
  const ann = o.metadata.annotations?.[ANN_BETA_STORAGE_CLASS];
  if (ann !== undefined) return ann;
  const c = specOf(o).storageClassName;
  return typeof c === 'string' ? c : '';
}

/** A claim with no class at all (nil, not ""): the default class may be assigned retroactively. */
export function hasNoClass(claim: KubeObject): boolean {
  const c = specOf(claim).storageClassName;
  return (c === undefined || c === null) && claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] === undefined;
}

/** The newest default StorageClass (upstream picks the newest when several are marked default). */
export function defaultClass(classes: readonly KubeObject[]): KubeObject | undefined {
  const defaults = classes.filter(isDefaultClass);
  defaults.sort((a, b) => ((a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? 1 : -1));
  return defaults[0];
}

export function isBindCompleted(claim: KubeObject): boolean {
  return claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined;
}

export interface ClaimRef {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

export function claimRefOf(volume: KubeObject): ClaimRef | undefined {
  const r = specOf(volume).claimRef;
  return isObject(r) ? (r as ClaimRef) : undefined;
}

/** IsVolumeBoundToClaim: claimRef names this claim (and its uid, when the ref has one). */
export function isVolumeBoundToClaim(volume: KubeObject, claim: KubeObject): boolean {
  const ref = claimRefOf(volume);
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** reference.GetReference of a claim. */
export function claimReference(claim: KubeObject): ClaimRef {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion };
}

export function requestedStorage(claim: KubeObject): string | undefined {
  const res = isObject(specOf(claim).resources) ? (specOf(claim).resources as Obj) : {};
  const req = isObject(res.requests) ? (res.requests as Obj) : {};
  return typeof req.storage === 'string' || typeof req.storage === 'number' ? String(req.storage) : undefined;
}

export function volumeCapacity(volume: KubeObject): string | undefined {
  const cap = isObject(specOf(volume).capacity) ? (specOf(volume).capacity as Obj) : {};
  return typeof cap.storage === 'string' || typeof cap.storage === 'number' ? String(cap.storage) : undefined;
}

function modes(o: KubeObject): string[] {
  const m = specOf(o).accessModes;
  return Array.isArray(m) ? m.map(String) : [];
}

function volumeMode(o: KubeObject): string {
  const m = specOf(o).volumeMode;
  return typeof m === 'string' && m ? m : 'Filesystem';
}

/** The claim's access modes are all offered by the volume. */
export function accessModesFit(claim: KubeObject, volume: KubeObject): boolean {
  const offered = new Set(modes(volume));
  return modes(claim).every((m) => offered.has(m));
}

/**
 * findMatchingVolume: a volume pre-bound to the claim, else (unless binding waits for the first
 * consumer) the smallest Available, unclaimed volume of the claim's class whose labels, access
 * modes, volume mode and capacity fit.
 */
export function findBestMatch(claim: KubeObject, volumes: readonly KubeObject[], delayBinding: boolean): KubeObject | undefined {
  const requested = requestedStorage(claim);
  const sel = specOf(claim).selector;
  const selector = isObject(sel) ? labelSelectorFromObject(sel) : undefined;
  const cls = classOf(claim);
  let best: KubeObject | undefined;
  for (const v of volumes) {
    if (v.metadata.deletionTimestamp) continue;
    if (volumeMode(v) !== volumeMode(claim)) continue;
    const cap = volumeCapacity(v);
    if (requested !== undefined && isQuantity(requested) && (cap === undefined || !isQuantity(cap) || compareQuantities(cap, requested) < 0)) continue;
    if (isVolumeBoundToClaim(v, claim)) {
      const ph = phaseOf(v);
      if (ph !== 'Released' && ph !== 'Failed') return v;
      continue;
    }
    if (delayBinding) continue;
    if (phaseOf(v) !== 'Available' || claimRefOf(v)) continue;
    if (selector && !selector.matches(v.metadata.labels)) continue;
    if (classOf(v) !== cls) continue;
    if (!accessModesFit(claim, v)) continue;
    if (!best || compareQuantities(volumeCapacity(best) ?? '0', cap ?? '0') > 0) best = v;
  }
  return best;
}

/** The `namespace/claimName` keys of the claims a pod's volumes use. */
export function podClaimKeys(pod: KubeObject): string[] {
  const vols = Array.isArray(specOf(pod).volumes) ? (specOf(pod).volumes as Obj[]) : [];
  const out: string[] = [];
  for (const v of vols) {
    const pvc = isObject(v.persistentVolumeClaim) ? v.persistentVolumeClaim : undefined;
    if (pvc && typeof pvc.claimName === 'string') out.push(`${pod.metadata.namespace}/${pvc.claimName}`);
    // Generic ephemeral volumes use the claim `<pod>-<volume>`.
    if (isObject(v.ephemeral)) out.push(`${pod.metadata.namespace}/${pod.metadata.name}-${String(v.name)}`);
  }
  return out;
}

export const podClaimIndexers = { [POD_CLAIM_INDEX]: podClaimKeys };

/** CheckNodeAffinity: a volume without node affinity fits every node; otherwise one required term must match. */
export function volumeFitsNode(volume: KubeObject, node: KubeObject): boolean {
  const na = specOf(volume).nodeAffinity;
  const required = isObject(na) && isObject(na.required) ? na.required : undefined;
  if (!required) return true;
  const terms = Array.isArray(required.nodeSelectorTerms) ? required.nodeSelectorTerms : [];
  return terms.some((t) => nodeSelectorTermMatches(t, selectableNode(node)));
}

/**
 * A StatefulSet pod's identity and storage (stateful_set_utils.go): ordinal names `<set>-N`, the
 * `statefulset.kubernetes.io/pod-name` / `apps.kubernetes.io/pod-index` labels, hostname and
 * subdomain, the `controller-revision-hash` label, and the claims `<template>-<set>-N` its
 * volumes point at.
 */
import type { KubeObject, OwnerReference } from '../../api/types';
import { isObject } from '../../api/types';
import { REVISION_HASH_LABEL, newControllerRef } from '../history';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

type Obj = Record<string, unknown>;

export interface StatefulSetSpec {
  replicas?: number;
  serviceName?: string;
  podManagementPolicy?: string;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  ordinals?: { start?: number };
  selector?: { matchLabels?: Record<string, string> };
  template?: Obj;
  volumeClaimTemplates?: KubeObject[];
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
}

export function specOf(set: KubeObject): StatefulSetSpec {
  return (isObject(set.spec) ? set.spec : {}) as StatefulSetSpec;
}

export function startOrdinal(set: KubeObject): number {
  const s = specOf(set).ordinals?.start;
  return typeof s === 'number' && s > 0 ? s : 0;
}

export function replicasOf(set: KubeObject): number {
  const r = specOf(set).replicas;
  return typeof r === 'number' ? r : 1;
}

export function podName(set: KubeObject, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

const ORDINAL_RE = /^(.*)-(\d+)$/;

/** getParentNameAndOrdinal: the ordinal from the name, or -1. */
export function ordinalOf(pod: KubeObject): number {
  const m = ORDINAL_RE.exec(pod.metadata.name ?? '');
  return m ? Number(m[2]) : -1;
}

/** isMemberOf: the pod's name is `<set>-<ordinal>`. */
export function isMemberOf(set: KubeObject, pod: KubeObject): boolean {
  const m = ORDINAL_RE.exec(pod.metadata.name ?? '');
  return !!m && m[1] === set.metadata.name;
}

export function podRevision(pod: KubeObject): string {
  return pod.metadata.labels?.[REVISION_HASH_LABEL] ?? '';
}

export function claimName(set: KubeObject, template: KubeObject, ordinal: number): string {
  return `${template.metadata?.name ?? ''}-${set.metadata.name}-${ordinal}`;
}

/** identityMatches: name, namespace and the identity labels are right. */
export function identityMatches(set: KubeObject, pod: KubeObject): boolean {
  const ord = ordinalOf(pod);
  const labels = pod.metadata.labels ?? {};
  return ord >= 0 && set.metadata.name === pod.metadata.name?.replace(/-\d+$/, '') && pod.metadata.namespace === set.metadata.namespace && labels[POD_NAME_LABEL] === pod.metadata.name && labels[POD_INDEX_LABEL] === String(ord);
}

function volumesOf(pod: KubeObject): Obj[] {
  const spec = pod.spec as Obj;
  return Array.isArray(spec.volumes) ? (spec.volumes as Obj[]) : [];
}

/** storageMatches: every claim template has a pod volume pointing at this ordinal's claim. */
export function storageMatches(set: KubeObject, pod: KubeObject): boolean {
  const ord = ordinalOf(pod);
  if (ord < 0) return false;
  const vols = volumesOf(pod);
  for (const t of specOf(set).volumeClaimTemplates ?? []) {
    const v = vols.find((x) => x.name === t.metadata?.name);
    const pvc = v && isObject(v.persistentVolumeClaim) ? v.persistentVolumeClaim : undefined;
    if (!pvc || pvc.claimName !== claimName(set, t, ord)) return false;
  }
  return true;
}

/** updateIdentity: name, namespace and identity labels from the ordinal. */
export function updateIdentity(set: KubeObject, pod: KubeObject): void {
  const ord = ordinalOf(pod);
  pod.metadata.name = podName(set, ord);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ord) };
}

/** updateStorage: the template volumes point at this ordinal's claims (replacing same-named volumes). */
export function updateStorage(set: KubeObject, pod: KubeObject): void {
  const templates = specOf(set).volumeClaimTemplates ?? [];
  if (templates.length === 0) return;
  const ord = ordinalOf(pod);
  const names = new Set(templates.map((t) => t.metadata?.name));
  const spec = pod.spec as Obj;
  const kept = volumesOf(pod).filter((v) => !names.has(v.name as string));
  const claims = templates.map((t) => ({ name: t.metadata?.name, persistentVolumeClaim: { claimName: claimName(set, t, ord) } }));
  spec.volumes = [...claims, ...kept];
}

/** newStatefulSetPod: the template with the controller ref, identity, hostname/subdomain and storage. */
export function newStatefulSetPod(set: KubeObject, ordinal: number): KubeObject {
  const template = (specOf(set).template ?? {}) as Obj;
  const tmeta = (isObject(template.metadata) ? template.metadata : {}) as Obj;
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(set, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...((tmeta.labels as Record<string, string>) ?? {}) },
      ownerReferences: [newControllerRef(set, 'apps/v1', 'StatefulSet')],
    },
    spec: structuredClone(isObject(template.spec) ? template.spec : {}),
  };
  if (isObject(tmeta.annotations)) pod.metadata.annotations = { ...(tmeta.annotations as Record<string, string>) };
  if (Array.isArray(tmeta.finalizers)) pod.metadata.finalizers = [...(tmeta.finalizers as string[])];
  updateIdentity(set, pod);
  const spec = pod.spec as Obj;
  spec.hostname = pod.metadata.name;
  if (specOf(set).serviceName) spec.subdomain = specOf(set).serviceName;
  updateStorage(set, pod);
  return pod;
}

/** A pod of the given revision: labelled with the revision name. */
export function setPodRevision(pod: KubeObject, revisionName: string): void {
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [REVISION_HASH_LABEL]: revisionName };
}

/** getPersistentVolumeClaims: the claims of one ordinal, keyed by template name. */
export function claimsFor(set: KubeObject, ordinal: number): KubeObject[] {
  const matchLabels = specOf(set).selector?.matchLabels ?? {};
  return (specOf(set).volumeClaimTemplates ?? []).map((t) => {
    const claim = structuredClone(t) as KubeObject;
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = { ...structuredClone(t.metadata ?? {}), name: claimName(set, t, ordinal), namespace: set.metadata.namespace };
    claim.metadata.labels = { ...(claim.metadata.labels ?? {}), ...matchLabels };
    delete claim.metadata.uid;
    delete claim.metadata.resourceVersion;
    delete claim.metadata.creationTimestamp;
    delete claim.status;
    return claim;
  });
}

/** The owner references a claim should carry under persistentVolumeClaimRetentionPolicy. */
export function desiredClaimOwnerRefs(set: KubeObject, pod: KubeObject | undefined, claim: KubeObject): OwnerReference[] | undefined {
  const policy = specOf(set).persistentVolumeClaimRetentionPolicy ?? {};
  const whenDeleted = policy.whenDeleted === 'Delete';
  const whenScaled = policy.whenScaled === 'Delete';
  const ord = pod ? ordinalOf(pod) : -1;
  const scaledDown = pod !== undefined && (ord < startOrdinal(set) || ord >= startOrdinal(set) + replicasOf(set));
  const setRef: OwnerReference = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name ?? '', uid: set.metadata.uid ?? '' };
  const podRef: OwnerReference | undefined = pod?.metadata.uid ? { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid } : undefined;
  let refs = (claim.metadata.ownerReferences ?? []).filter((r) => r.uid !== setRef.uid && (!podRef || r.uid !== podRef.uid));
  const wantSet = whenDeleted && !(whenScaled && scaledDown);
  const wantPod = whenScaled && scaledDown && podRef !== undefined;
  if (wantSet) refs = [...refs, setRef];
  if (wantPod && podRef) refs = [...refs, podRef];
  return refs.length ? refs : undefined;
}

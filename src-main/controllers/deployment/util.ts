/**
 * Deployment helpers (pkg/controller/deployment/util/deployment_util.go, pkg/controller's
 * ReplicaSet sorts): field accessors, maxSurge/maxUnavailable with upstream rounding, replica
 * counts over ReplicaSets, template equality ignoring the hash label, annotation names.
 */
import type { KubeObject } from '../../api/types';

export type Obj = Record<string, unknown>;

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** maxRevHistoryLengthInChars. */
export const MAX_REV_HISTORY_LENGTH = 2000;
const MAX_INT32 = 2147483647;

export function spec(o: KubeObject): Obj {
  return (o.spec ?? {}) as Obj;
}

export function status(o: KubeObject | undefined): Obj {
  return ((o?.status ?? {}) as Obj) ?? {};
}

export function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** spec.replicas (defaulted to 1 by the API server). */
export function replicas(o: KubeObject): number {
  const r = spec(o).replicas;
  return typeof r === 'number' ? r : 1;
}

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function strategyType(d: KubeObject): string {
  return String(((spec(d).strategy ?? {}) as Obj).type ?? 'RollingUpdate');
}

export function isRollingUpdate(d: KubeObject): boolean {
  return strategyType(d) === 'RollingUpdate';
}

/** intstr.GetScaledValueFromIntOrPercent (ints as is; "N%" of total, rounded up or down). */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(String(v));
  if (!m) {
    if (/^-?\d+$/.test(String(v))) return Number(v);
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  }
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** ResolveFenceposts: surge rounds up, unavailable down; both 0 → unavailable 1. */
export function resolveFenceposts(d: KubeObject): { surge: number; unavailable: number } {
  const ru = (((spec(d).strategy ?? {}) as Obj).rollingUpdate ?? {}) as Obj;
  const desired = replicas(d);
  const surge = scaledValue(ru.maxSurge, desired, true);
  let unavailable = scaledValue(ru.maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: KubeObject): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0;
}

export function maxUnavailable(d: KubeObject): number {
  if (!isRollingUpdate(d) || replicas(d) === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, replicas(d));
}

export function hasProgressDeadline(d: KubeObject): boolean {
  const p = spec(d).progressDeadlineSeconds;
  return typeof p === 'number' && p !== MAX_INT32;
}

export function hasRevisionHistoryLimit(d: KubeObject): boolean {
  const l = spec(d).revisionHistoryLimit;
  return typeof l === 'number' && l !== MAX_INT32;
}

/** Sum of spec.replicas. */
export function specReplicaCount(rss: (KubeObject | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs ? replicas(rs) : 0), 0);
}

/** Sum of a status counter. */
export function statusCount(rss: (KubeObject | undefined)[], field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return rss.reduce((n, rs) => n + (rs ? num(status(rs)[field]) : 0), 0);
}

export function filterActive(rss: (KubeObject | undefined)[]): KubeObject[] {
  return rss.filter((rs): rs is KubeObject => !!rs && replicas(rs) > 0);
}

function createdMs(o: KubeObject): number {
  const t = o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** ReplicaSetsByCreationTimestamp: older first, then by name. */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const d = createdMs(a) - createdMs(b);
  if (d !== 0) return d;
  const an = a.metadata.name ?? '';
  const bn = b.metadata.name ?? '';
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** ReplicaSetsBySizeNewer: larger first; equal sizes newer first. */
export function bySizeNewer(a: KubeObject, b: KubeObject): number {
  return replicas(a) === replicas(b) ? byCreation(b, a) : replicas(b) - replicas(a);
}

/** ReplicaSetsBySizeOlder: larger first; equal sizes older first. */
export function bySizeOlder(a: KubeObject, b: KubeObject): number {
  return replicas(a) === replicas(b) ? byCreation(a, b) : replicas(b) - replicas(a);
}

/** Revision(rs): the revision annotation as a number (NaN when missing or bad). */
export function revision(o: KubeObject): number {
  const v = o.metadata.annotations?.[REVISION_ANNOTATION];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : NaN;
}

export function maxRevision(rss: KubeObject[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revision(rs);
    if (!Number.isNaN(v) && v > max) max = v;
  }
  return max;
}

/** ReplicaSetsByRevision: lower revision first, then older. */
export function byRevision(a: KubeObject, b: KubeObject): number {
  const ra = revision(a);
  const rb = revision(b);
  const va = Number.isNaN(ra) ? 0 : ra;
  const vb = Number.isNaN(rb) ? 0 : rb;
  return va === vb ? byCreation(a, b) : va - vb;
}

/** Drops empty maps/arrays/nulls, sorts keys: Semantic.DeepEqual treats nil and empty alike. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Obj = {};
    for (const k of Object.keys(v as Obj).sort()) {
      const c = canonical((v as Obj)[k]);
      if (c === null || c === undefined) continue;
      if (Array.isArray(c) && c.length === 0) continue;
      if (typeof c === 'object' && !Array.isArray(c) && Object.keys(c as Obj).length === 0) continue;
      out[k] = c;
    }
    return out;
  }
  return v;
}

/** A template's canonical text without the hash label, memoized per template object (templates are never mutated once compared). */
const templateKeys = new WeakMap<object, string>();

function templateKey(t: unknown): string {
  const obj = (t ?? {}) as Obj;
  const cached = templateKeys.get(obj);
  if (cached !== undefined) return cached;
  const meta = (obj.metadata ?? {}) as Obj;
  const labels = { ...((meta.labels ?? {}) as Record<string, string>) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  const key = JSON.stringify(canonical({ ...obj, metadata: { ...meta, labels } }));
  templateKeys.set(obj, key);
  return key;
}

/** EqualIgnoreHash: pod templates equal once the pod-template-hash label is dropped from both. */
export function equalIgnoreHash(t1: unknown, t2: unknown): boolean {
  return templateKey(t1) === templateKey(t2);
}

export function template(o: KubeObject): Obj {
  return (spec(o).template ?? {}) as Obj;
}

/** Go's math.Round (half away from zero) to int32. */
export function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** The desired-replicas annotation, if it parses. */
export function desiredReplicasAnnotation(rs: KubeObject): number | undefined {
  return intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
}

export function maxReplicasAnnotation(rs: KubeObject): number | undefined {
  return intAnnotation(rs, MAX_REPLICAS_ANNOTATION);
}

function intAnnotation(rs: KubeObject, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** SetReplicasAnnotations (on a mutable copy): true when something changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    a[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

/** IsSaturated: the RS runs exactly the deployment's replicas, all available. */
export function isSaturated(d: KubeObject, rs: KubeObject | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  return replicas(rs) === replicas(d) && desired === replicas(d) && num(status(rs).availableReplicas) === replicas(d);
}

/** DeploymentComplete. */
export function deploymentComplete(d: KubeObject, st: Obj): boolean {
  const want = replicas(d);
  return num(st.updatedReplicas) === want && num(st.replicas) === want && num(st.availableReplicas) === want && num(st.observedGeneration) >= num(d.metadata.generation);
}

/** DeploymentProgressing: more updated/ready/available replicas or fewer old ones than before. */
export function deploymentProgressing(d: KubeObject, st: Obj): boolean {
  const old = status(d);
  const oldOld = num(old.replicas) - num(old.updatedReplicas);
  const newOld = num(st.replicas) - num(st.updatedReplicas);
  return num(st.updatedReplicas) > num(old.updatedReplicas) || newOld < oldOld || num(st.readyReplicas) > num(old.readyReplicas) || num(st.availableReplicas) > num(old.availableReplicas);
}

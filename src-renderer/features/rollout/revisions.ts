/**
 * A workload's revision history as `kubectl rollout history` finds it: a Deployment's
 * ReplicaSets (controlled by it) keyed by their `deployment.kubernetes.io/revision` annotation; a
 * StatefulSet's or DaemonSet's ControllerRevisions (controlled by it) keyed by `revision`.
 * Sorted by revision; a revision number held twice keeps the last one listed (kubectl's map).
 * Each entry has its change-cause, images, template and whether it is what runs now.
 */
import type { KubeObject } from '../../api/types';
import { normalizeTemplate, templateImages, templatesEqual, type ImageRef } from './template';
import type { ControllerRevision, PodTemplate, ReplicaSet, Workload } from './types';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

export interface Revision {
  revision: number;
  /** The ReplicaSet's or ControllerRevision's name. */
  name: string;
  /** `kubernetes.io/change-cause`, '' when none (kubectl prints `<none>`). */
  changeCause: string;
  images: ImageRef[];
  created?: string;
  /** The pod template this revision rolls out (normalised: no hash label, no `$patch`). */
  template: PodTemplate;
  /** The workload's current template is this revision's. */
  current: boolean;
  /** Pods the ReplicaSet has now (Deployments only). */
  pods?: number;
  /** The object the revision came from (a ReplicaSet or ControllerRevision). */
  source: KubeObject;
}

/** metav1.IsControlledBy: the controller ownerReference points at `owner`'s uid. */
export function isControlledBy(o: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata.uid;
  return !!uid && (o.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === uid);
}

/** deploymentutil.Revision: the annotation as an integer, undefined when absent or not a number. */
export function replicaSetRevision(rs: KubeObject): number | undefined {
  const v = rs.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined || !/^-?\d+$/.test(v.trim())) return undefined;
  return Number(v.trim());
}

function byRevision(list: Revision[]): Revision[] {
  const map = new Map<number, Revision>();
  for (const r of list) map.set(r.revision, r);
  return [...map.values()].sort((a, b) => a.revision - b.revision);
}

/** Marks the highest revision whose template equals the workload's current one. */
function markCurrent(list: Revision[], template: PodTemplate | undefined): Revision[] {
  for (let i = list.length - 1; i >= 0; i--) {
    if (templatesEqual(list[i].template, template)) {
      list[i].current = true;
      break;
    }
  }
  return list;
}

export function deploymentRevisions(d: Workload, replicaSets: readonly ReplicaSet[]): Revision[] {
  const list: Revision[] = [];
  for (const rs of replicaSets) {
    if (!isControlledBy(rs, d)) continue;
    const revision = replicaSetRevision(rs);
    if (revision === undefined) continue;
    const template = normalizeTemplate(rs.spec?.template);
    list.push({
      revision,
      name: rs.metadata.name,
      changeCause: rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '',
      images: templateImages(template),
      created: rs.metadata.creationTimestamp,
      template,
      current: false,
      pods: rs.status?.replicas ?? 0,
      source: rs,
    });
  }
  return markCurrent(byRevision(list), d.spec?.template);
}

/** The template a ControllerRevision's data patch puts in place (`spec.template`, `$patch` dropped). */
export function controllerRevisionTemplate(cr: ControllerRevision): PodTemplate {
  return normalizeTemplate(cr.data?.spec?.template);
}

export function controllerRevisions(owner: Workload, revisions: readonly ControllerRevision[]): Revision[] {
  const list: Revision[] = [];
  for (const cr of revisions) {
    if (!isControlledBy(cr, owner) || typeof cr.revision !== 'number') continue;
    const template = controllerRevisionTemplate(cr);
    list.push({
      revision: cr.revision,
      name: cr.metadata.name,
      changeCause: cr.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '',
      images: templateImages(template),
      created: cr.metadata.creationTimestamp,
      template,
      current: false,
      source: cr,
    });
  }
  return markCurrent(byRevision(list), owner.spec?.template);
}

/** kubectl rollout history's table (REVISION and CHANGE-CAUSE; StatefulSets: REVISION only). */
export function historyTable(list: readonly Revision[], changeCause = true): string {
  if (!list.length) return 'No rollout history found.';
  const rows = [changeCause ? ['REVISION', 'CHANGE-CAUSE'] : ['REVISION'], ...list.map((r) => (changeCause ? [String(r.revision), r.changeCause || '<none>'] : [String(r.revision)]))];
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map((r) => (r.length > 1 ? `${r[0].padEnd(width + 2)}${r[1]}` : r[0])).join('\n') + '\n';
}

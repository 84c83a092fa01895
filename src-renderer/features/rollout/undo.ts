/**
 * `kubectl rollout undo --to-revision=N` (polymorphichelpers/rollback.go), decided client-side:
 *
 * - Deployment: refused while paused; skipped when the ReplicaSet's template already equals the
 *   Deployment's (ignoring `pod-template-hash`); otherwise a JSON patch of two ops: replace
 *   `/spec/template` with the ReplicaSet's template minus the hash label, and replace
 *   `/metadata/annotations` with the Deployment's own values of the annotations kubectl keeps plus
 *   every other annotation of the ReplicaSet (which brings its change-cause back).
 * - StatefulSet / DaemonSet: skipped when the revision's template is the current one; otherwise a
 *   strategic merge patch with the ControllerRevision's `data` (`spec.template` + `$patch: replace`).
 */
import { POD_TEMPLATE_HASH_LABEL, templatesEqual } from './template';
import type { RolloutKind } from './kinds';
import type { Revision } from './revisions';
import type { ControllerRevision, PodTemplate, ReplicaSet, Workload } from './types';

/** Annotations the Deployment keeps its own values of (kubectl's annotationsToSkip). */
export const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

export type UndoPlan =
  | { action: 'patch'; patchType: 'json'; patch: { op: 'replace'; path: string; value: unknown }[] }
  | { action: 'patch'; patchType: 'strategic'; patch: unknown }
  | { action: 'skip'; message: string }
  | { action: 'error'; message: string };

export function deploymentUndo(d: Workload, rs: ReplicaSet, toRevision: number): UndoPlan {
  if (d.spec?.paused) {
    return { action: 'error', message: `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${d.metadata.name}' and try again` };
  }
  if (templatesEqual(rs.spec?.template, d.spec?.template)) {
    return { action: 'skip', message: `skipped rollback (current template already matches revision ${toRevision})` };
  }
  const template = structuredClone(rs.spec?.template ?? {}) as PodTemplate;
  if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  const annotations: Record<string, string> = {};
  const own = d.metadata.annotations ?? {};
  for (const k of ANNOTATIONS_TO_SKIP) if (k in own) annotations[k] = own[k];
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  return {
    action: 'patch',
    patchType: 'json',
    patch: [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
  };
}

export function controllerRevisionUndo(owner: Workload, cr: ControllerRevision): UndoPlan {
  if (templatesEqual(cr.data?.spec?.template, owner.spec?.template)) {
    return { action: 'skip', message: `skipped rollback (current template already matches revision ${cr.revision})` };
  }
  return { action: 'patch', patchType: 'strategic', patch: structuredClone(cr.data ?? {}) };
}

/** The plan for undoing to `target` (one of the workload's revisions). */
export function undoPlan(kind: RolloutKind, owner: Workload, target: Revision): UndoPlan {
  return kind === 'deployments' ? deploymentUndo(owner, target.source as ReplicaSet, target.revision) : controllerRevisionUndo(owner, target.source as ControllerRevision);
}

/** What kubectl prints after the undo: `deployment.apps/web rolled back` or the skip text. */
export function undoResultText(kubectlName: string, plan: UndoPlan): string {
  if (plan.action === 'patch') return `${kubectlName} rolled back`;
  if (plan.action === 'skip') return `${kubectlName} ${plan.message}`;
  return `error: ${plan.message}`;
}

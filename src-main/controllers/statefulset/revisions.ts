/**
 * A StatefulSet's ControllerRevisions (getStatefulSetRevisions, newRevision, truncateHistory):
 * the update revision is the current template's snapshot (created, found, or an old one given the
 * next number on rollback); the current revision is the one `status.currentRevision` names.
 */
import type { KubeObject } from '../../api/types';
import { isObject } from '../../api/types';
import { R, type KubeClient } from '../../client';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  controllerRevisionName,
  createControllerRevision,
  equalRevisionData,
  hashRevisionData,
  newControllerRef,
  nextRevision,
  setRevisionNumber,
  sortRevisions,
  templatePatch,
} from '../history';
import { podRevision, specOf } from './identity';

export interface SetRevisions {
  current: KubeObject;
  update: KubeObject;
  collisionCount: number;
}

/** newRevision: the set's template as a revision (labels from the template, annotations from the set). */
export function newStatefulSetRevision(set: KubeObject, revision: number, collisionCount: number): KubeObject {
  const data = templatePatch(set);
  const hash = hashRevisionData(data, collisionCount);
  const tmeta = isObject(specOf(set).template?.metadata) ? (specOf(set).template!.metadata as Record<string, unknown>) : {};
  const labels = { ...((tmeta.labels as Record<string, string>) ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(set.metadata.name ?? '', hash),
      namespace: set.metadata.namespace,
      labels,
      annotations: { ...(set.metadata.annotations ?? {}) },
      ownerReferences: [newControllerRef(set, 'apps/v1', 'StatefulSet')],
    },
    data,
    revision,
  };
}

function collisionCountOf(set: KubeObject): number {
  const c = isObject(set.status) ? set.status.collisionCount : undefined;
  return typeof c === 'number' ? c : 0;
}

export async function statefulSetRevisions(client: KubeClient, set: KubeObject, owned: readonly KubeObject[]): Promise<SetRevisions> {
  const revisions = sortRevisions(owned);
  const collision = { count: collisionCountOf(set) };
  const candidate = newStatefulSetRevision(set, nextRevision(revisions), collision.count);
  const equal = revisions.filter((r) => equalRevisionData(r, candidate));
  let update: KubeObject;
  const last = revisions[revisions.length - 1];
  if (equal.length > 0 && last && equalRevisionData(last, equal[equal.length - 1])) {
    update = last;
  } else if (equal.length > 0) {
    update = await setRevisionNumber(client, equal[equal.length - 1], candidate.revision as number);
  } else {
    const data = candidate.data;
    update = await createControllerRevision(client, set.metadata.namespace ?? '', candidate, collision, (n) => controllerRevisionName(set.metadata.name ?? '', hashRevisionData(data, n)));
  }
  const currentName = isObject(set.status) ? set.status.currentRevision : undefined;
  const current = revisions.find((r) => r.metadata.name === currentName) ?? update;
  return { current, update, collisionCount: collision.count };
}

/** truncateHistory: deletes the oldest revisions no pod, current or update uses, beyond revisionHistoryLimit. */
export async function truncateHistory(client: KubeClient, set: KubeObject, pods: readonly KubeObject[], owned: readonly KubeObject[], revs: SetRevisions): Promise<void> {
  const live = new Set<string>([revs.current.metadata.name ?? '', revs.update.metadata.name ?? '']);
  for (const p of pods) live.add(podRevision(p));
  const history = sortRevisions(owned).filter((r) => !live.has(r.metadata.name ?? ''));
  const limit = specOf(set).revisionHistoryLimit ?? 10;
  if (history.length <= limit) return;
  for (const r of history.slice(0, history.length - limit)) {
    await client.deleteIfExists(R.controllerrevisions, r.metadata.namespace, r.metadata.name ?? '');
  }
}

/**
 * A DaemonSet's ControllerRevisions (constructHistory, snapshot, cleanupHistory): the current
 * revision is the one whose data equals the DaemonSet's template patch (created as
 * `<ds>-<template hash>` with the next number when there is none; an old one matching gets the
 * next number on rollback); old revisions beyond revisionHistoryLimit that no pod uses are deleted.
 */
import type { KubeObject } from '../../api/types';
import { isObject } from '../../api/types';
import { R, type KubeClient } from '../../client';
import { REVISION_HASH_LABEL, computeTemplateHash, controllerRevisionName, createControllerRevision, goJson, newControllerRef, revisionNumber, setRevisionNumber, sortRevisions, templatePatch } from '../history';

export interface DaemonSetHistory {
  current: KubeObject;
  old: KubeObject[];
  /** The hash pods of the current revision carry (`controller-revision-hash`). */
  hash: string;
  collisionCount: number;
}

function collisionCountOf(ds: KubeObject): number {
  const c = isObject(ds.status) ? ds.status.collisionCount : undefined;
  return typeof c === 'number' ? c : 0;
}

function hasCollisionCount(ds: KubeObject): boolean {
  return isObject(ds.status) && typeof ds.status.collisionCount === 'number';
}

export async function constructHistory(client: KubeClient, ds: KubeObject, owned: readonly KubeObject[]): Promise<DaemonSetHistory> {
  const patch = templatePatch(ds);
  const patchText = goJson(patch);
  const matching: KubeObject[] = [];
  const old: KubeObject[] = [];
  for (const r of owned) (goJson(r.data) === patchText ? matching : old).push(r);
  const next = old.reduce((m, r) => Math.max(m, revisionNumber(r)), 0) + 1;
  const collision = { count: collisionCountOf(ds) };
  const template = (ds.spec as Record<string, unknown>).template;
  let current: KubeObject;
  if (matching.length === 0) {
    const hashFor = (n: number) => computeTemplateHash(template, hasCollisionCount(ds) || n > 0 ? n : undefined);
    const hash = hashFor(collision.count);
    const tmeta = isObject(template) && isObject(template.metadata) ? template.metadata : {};
    const revision: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        namespace: ds.metadata.namespace,
        labels: { ...((tmeta.labels as Record<string, string>) ?? {}), [REVISION_HASH_LABEL]: hash },
        annotations: { ...(ds.metadata.annotations ?? {}) },
        ownerReferences: [newControllerRef(ds, 'apps/v1', 'DaemonSet')],
      },
      data: patch,
      revision: next,
    };
    current = await createControllerRevision(client, ds.metadata.namespace ?? '', revision, collision, (n) => controllerRevisionName(ds.metadata.name ?? '', hashFor(n)));
  } else {
    // dedupCurHistories: keep the highest; the others are duplicates.
    const sorted = sortRevisions(matching);
    current = sorted[sorted.length - 1];
    for (const dup of sorted.slice(0, -1)) await client.deleteIfExists(R.controllerrevisions, dup.metadata.namespace, dup.metadata.name ?? '');
    if (revisionNumber(current) < next) current = await setRevisionNumber(client, current, next);
  }
  return { current, old, hash: current.metadata.labels?.[REVISION_HASH_LABEL] ?? '', collisionCount: collision.count };
}

/** cleanupHistory: the oldest old revisions beyond the limit, unless a pod still carries their hash. */
export async function cleanupHistory(client: KubeClient, ds: KubeObject, old: readonly KubeObject[], pods: readonly KubeObject[]): Promise<void> {
  const limit = typeof (ds.spec as Record<string, unknown>).revisionHistoryLimit === 'number' ? ((ds.spec as Record<string, unknown>).revisionHistoryLimit as number) : 10;
  let toKill = old.length - limit;
  if (toKill <= 0) return;
  const live = new Set(pods.map((p) => p.metadata.labels?.[REVISION_HASH_LABEL]).filter(Boolean));
  for (const r of sortRevisions(old)) {
    if (toKill <= 0) break;
    if (live.has(r.metadata.labels?.[REVISION_HASH_LABEL])) continue;
    await client.deleteIfExists(R.controllerrevisions, r.metadata.namespace, r.metadata.name ?? '');
    toKill--;
  }
}

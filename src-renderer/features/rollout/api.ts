/**
 * The writes of the rollout feature, through api/write.ts as kubectl sends them (pure bodies in
 * patches.ts and undo.ts): scale on /scale, set image, pause/resume, restart and undo.
 */
import { getJson } from '../../api/kube';
import { patchObject } from '../../api/write';
import { objectPath, type ResourceRef } from '../../util/paths';
import { pausePatch, restartPatch, scalePatch, setImagePatch } from './patches';
import type { UndoPlan } from './undo';
import type { Scale, Workload } from './types';

export interface Target {
  resource: ResourceRef;
  namespace?: string;
  name: string;
}

const path = (t: Target): string => objectPath(t.resource, t.namespace, t.name);

export function getScale(t: Target, signal?: AbortSignal): Promise<Scale> {
  return getJson<Scale>(`${path(t)}/scale`, signal);
}

export function scale(t: Target, replicas: number): Promise<Scale> {
  return patchObject<Scale>(`${path(t)}/scale`, scalePatch(replicas), 'merge');
}

export function setPaused(t: Target, paused: boolean): Promise<Workload> {
  return patchObject<Workload>(path(t), pausePatch(paused), 'strategic');
}

export function restart(t: Target, now = new Date()): Promise<Workload> {
  return patchObject<Workload>(path(t), restartPatch(now), 'strategic');
}

/** Resolves undefined when no image changes (nothing sent). */
export async function setImages(t: Target, obj: Workload, images: Record<string, string>, changeCause?: string): Promise<Workload | undefined> {
  const patch = setImagePatch(t.resource, obj, images, changeCause);
  return patch ? patchObject<Workload>(path(t), patch, 'strategic') : undefined;
}

export async function applyUndo(t: Target, plan: UndoPlan): Promise<void> {
  if (plan.action !== 'patch') return;
  await patchObject(path(t), plan.patch, plan.patchType);
}

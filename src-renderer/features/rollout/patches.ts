/**
 * The patches kubectl sends for workload actions, as plain values:
 * - `rollout pause` / `resume`: strategic merge `{"spec":{"paused":true}}` / `{"spec":{"paused":null}}`
 *   (false is Go's zero value: the diff removes the field);
 * - `rollout restart`: the template annotation `kubectl.kubernetes.io/restartedAt` = now (RFC 3339);
 * - `scale`: merge patch `{"spec":{"replicas":N}}` on the /scale subresource;
 * - `set image`: strategic merge of `{name, image}` per changed container (merged by name), at the
 *   pod spec of the kind (pod: spec; cronjob: spec.jobTemplate.spec.template.spec; others:
 *   spec.template.spec), plus the `kubernetes.io/change-cause` annotation when recorded.
 */
import { CHANGE_CAUSE_ANNOTATION } from './revisions';
import type { ImageRef } from './template';
import type { ContainerSpec, PodTemplate, Workload } from './types';
import type { ResourceRef } from '../../util/paths';

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

export function pausePatch(paused: boolean): { spec: { paused: true | null } } {
  return { spec: { paused: paused ? true : null } };
}

/** Go's time.RFC3339 in UTC (`2026-11-23T19:40:05Z`). */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function restartPatch(now: Date): unknown {
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: rfc3339(now) } } } } };
}

/** kubectl rollout restart refuses a paused Deployment with this message. */
export function restartRefusal(obj: Workload): string | undefined {
  return obj.spec?.paused ? "can't restart paused deployment (run rollout resume first)" : undefined;
}

export function scalePatch(replicas: number): { spec: { replicas: number } } {
  return { spec: { replicas } };
}

/** A replica count as typed: a whole number ≥ 0, else kubectl's complaint. */
export function parseReplicas(text: string): { replicas: number } | { error: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) > 2147483647) return { error: 'The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0' };
  return { replicas: Number(t) };
}

/** The pod template of an object of this resource (a pod is its own spec). */
export function podTemplateOf(r: ResourceRef, obj: Workload): PodTemplate | undefined {
  if (r.group === '' && r.resource === 'pods') return { spec: obj.spec as PodTemplate['spec'] };
  if (r.group === 'batch' && r.resource === 'cronjobs') return obj.spec?.jobTemplate?.spec?.template;
  return obj.spec?.template;
}

function wrapPodSpec(r: ResourceRef, podSpec: Record<string, unknown>): Record<string, unknown> {
  if (r.group === '' && r.resource === 'pods') return { spec: podSpec };
  if (r.group === 'batch' && r.resource === 'cronjobs') return { spec: { jobTemplate: { spec: { template: { spec: podSpec } } } } };
  return { spec: { template: { spec: podSpec } } };
}

/**
 * The set-image patch: only containers whose image changes; undefined when nothing changes.
 * `images` maps container name → new image.
 */
export function setImagePatch(r: ResourceRef, obj: Workload, images: Record<string, string>, changeCause?: string): Record<string, unknown> | undefined {
  const t = podTemplateOf(r, obj);
  const changed = (cs: ContainerSpec[] | undefined) => (cs ?? []).filter((c) => images[c.name] !== undefined && images[c.name] !== (c.image ?? '')).map((c) => ({ name: c.name, image: images[c.name] }));
  const podSpec: Record<string, unknown> = {};
  const init = changed(t?.spec?.initContainers);
  const main = changed(t?.spec?.containers);
  if (main.length) podSpec.containers = main;
  if (init.length) podSpec.initContainers = init;
  if (!main.length && !init.length) return undefined;
  const patch = wrapPodSpec(r, podSpec);
  if (changeCause) patch.metadata = { annotations: { [CHANGE_CAUSE_ANNOTATION]: changeCause } };
  return patch;
}

/** `kubectl set image deployment/web web=nginx:1.26` for the changed containers (the change-cause kubectl --record would write). */
export function setImageCommand(target: string, current: readonly ImageRef[], images: Record<string, string>): string {
  const pairs = current.filter((c) => images[c.container] !== undefined && images[c.container] !== c.image).map((c) => `${c.container}=${images[c.container]}`);
  return `kubectl set image ${target} ${pairs.join(' ')}`.trim();
}

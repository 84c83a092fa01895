/**
 * Pod templates as revisions hold them: normalised (no `pod-template-hash` label, no `$patch`
 * directive, no nulls or empty maps/lists — what Go's Semantic.DeepEqual treats as equal),
 * compared, listed by image, and printed as YAML with a stable key order for diffs.
 */
import { stringify } from 'yaml';
import type { ContainerSpec, PodTemplate } from './types';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Drops nulls, undefined, empty maps and empty lists, recursively (a new value). */
function compact(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out = v.map(compact).filter((x) => x !== undefined);
    return out.length ? out : undefined;
  }
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const c = compact(x);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null ? undefined : v;
}

/** The template without the hash label and the `$patch` directive, compacted. */
export function normalizeTemplate(t: PodTemplate | undefined): PodTemplate {
  const copy = structuredClone(t ?? {}) as PodTemplate & { $patch?: unknown };
  delete copy.$patch;
  if (copy.metadata?.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  return (compact(copy) as PodTemplate | undefined) ?? {};
}

function equalValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equalValues(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equalValues(a[k], b[k]));
  }
  return false;
}

/** kubectl's equalIgnoreHash: equal templates once the pod-template-hash label is ignored. */
export function templatesEqual(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return equalValues(normalizeTemplate(a), normalizeTemplate(b));
}

export interface ImageRef {
  container: string;
  image: string;
  init: boolean;
}

/** The images of a template, init containers first (as they run). */
export function templateImages(t: PodTemplate | undefined): ImageRef[] {
  const of = (cs: ContainerSpec[] | undefined, init: boolean) => (cs ?? []).map((c) => ({ container: c.name, image: c.image ?? '', init }));
  return [...of(t?.spec?.initContainers, true), ...of(t?.spec?.containers, false)];
}

/** Keys that read best first (a container's name and image before the rest); others alphabetical. */
const FIRST = ['name', 'image', 'metadata', 'spec'];

function ordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(ordered);
  if (!isPlainObject(v)) return v;
  const keys = Object.keys(v).sort((a, b) => {
    const ia = FIRST.indexOf(a);
    const ib = FIRST.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? FIRST.length : ia) - (ib < 0 ? FIRST.length : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = ordered(v[k]);
  return out;
}

/** The normalised template as YAML with a stable key order, so two revisions diff line by line. */
export function templateYaml(t: PodTemplate | undefined): string {
  return stringify(ordered(normalizeTemplate(t)), { lineWidth: 0 });
}

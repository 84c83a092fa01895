/**
 * Patch metadata of the built-in kinds: how strategic merge patch merges each list (by which key,
 * with `retainKeys`), and how server-side apply tracks it (list types, list-map keys, atomic
 * structs and maps). The data lives in patch-meta/tables.ts, transcribed from the upstream struct
 * tags; this file is the lookup over it.
 *
 * Readers:
 *  - apiserver/patch (strategic merge patch, server-side apply, managedFields),
 *  - scripts/gen-openapi.mjs (x-kubernetes-patch-merge-key, x-kubernetes-patch-strategy,
 *    x-kubernetes-list-type, x-kubernetes-list-map-keys, x-kubernetes-map-type) through
 *    `openapiExtensions` / `PATCH_META`.
 *
 * May import nothing but its own tables.
 */
import { ATOMIC_TYPES, DEFINITION_TYPES, KIND_ROOTS, PATCH_META, ZERO_OBJECTS } from './patch-meta/tables';

export { ATOMIC_TYPES, DEFINITION_TYPES, KIND_ROOTS, PATCH_META };

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';

/** What upstream's struct tags say about one field. */
export interface FieldMeta {
  /** Type (in PATCH_META) of the value; of each item for lists; of each value for maps. */
  type?: string;
  /** The value is a JSON array. */
  list?: boolean;
  /** The value is a map with arbitrary keys (map[string]T), not a struct. */
  map?: boolean;
  /** `patchMergeKey`: strategic merge patch merges list items by this field. */
  mergeKey?: string;
  /** `patchStrategy`. */
  strategy?: PatchStrategy;
  /** `+listType` (server-side apply). */
  listType?: 'atomic' | 'set' | 'map';
  /** `+listMapKey`s (server-side apply), in declaration order. */
  listMapKeys?: string[];
  /** `+default` values of key fields, used when an item omits a key (`protocol: TCP`). */
  keyDefaults?: Record<string, string | number | boolean>;
  /** `+mapType`. */
  mapType?: 'atomic' | 'granular';
}

/** How server-side apply treats a list (kube-openapi's schemaconv rules). */
export type ListSemantics = { kind: 'atomic' } | { kind: 'set' } | { kind: 'map'; keys: string[]; keyDefaults: Record<string, string | number | boolean> };

/**
 * A position in the type graph: one object type. Unknown types (CRDs, fields the tables do not
 * list) answer with no metadata, which means: objects merge field by field, lists are replaced
 * (strategic merge) or atomic (server-side apply).
 */
export interface PatchMeta {
  /** The type's name in PATCH_META; undefined when nothing is known about it. */
  readonly typeName: string | undefined;
  /** `+structType=atomic`: server-side apply owns and replaces the value as a whole. */
  readonly atomic: boolean;
  /** The field's metadata, or undefined. */
  field(name: string): FieldMeta | undefined;
  /** The metadata of the field's value (of its items for a list, of its values for a map). */
  child(name: string): PatchMeta;
}

class TypeNode implements PatchMeta {
  readonly atomic: boolean;
  private readonly fields: Record<string, FieldMeta> | undefined;
  constructor(readonly typeName: string | undefined) {
    this.fields = typeName ? PATCH_META[typeName] : undefined;
    this.atomic = typeName ? ATOMIC_TYPES.has(typeName) : false;
  }
  field(name: string): FieldMeta | undefined {
    if (!this.fields || !Object.prototype.hasOwnProperty.call(this.fields, name)) return undefined;
    return this.fields[name];
  }
  child(name: string): PatchMeta {
    return patchMetaForType(this.field(name)?.type);
  }
}

const nodes = new Map<string, PatchMeta>();

/** Metadata with nothing known: what CRDs and unlisted types get. */
export const UNTYPED_META: PatchMeta = new TypeNode(undefined);

/** The node for a type name of PATCH_META (UNTYPED_META for unknown names). */
export function patchMetaForType(typeName: string | undefined): PatchMeta {
  if (!typeName || !(typeName in PATCH_META)) return UNTYPED_META;
  let n = nodes.get(typeName);
  if (!n) {
    n = new TypeNode(typeName);
    nodes.set(typeName, n);
  }
  return n;
}

/**
 * The patch metadata of a built-in kind (`('apps', 'v1', 'Deployment')`, core: group ''), or
 * undefined for kinds the server has no Go-struct metadata for (custom resources): strategic merge
 * patch is refused for those, as upstream does.
 */
export function patchMetaFor(group: string, version: string, kind: string): PatchMeta | undefined {
  const gv = group ? `${group}/${version}` : version;
  const root = KIND_ROOTS[`${gv}/${kind}`];
  return root ? patchMetaForType(root) : undefined;
}

/**
 * The JSON a typed zero object of the kind serializes to (non-pointer structs present and empty),
 * e.g. `{metadata: {}, spec: {template: {metadata: {}, spec: {}}, strategy: {}}, status: {}}` for a
 * Deployment. Managed-fields tracking compares a created object against it, as upstream does.
 */
export function zeroObject(group: string, version: string, kind: string): Record<string, unknown> {
  const gv = group ? `${group}/${version}` : version;
  const z = ZERO_OBJECTS[`${gv}/${kind}`] ?? { metadata: {} };
  return JSON.parse(JSON.stringify(z)) as Record<string, unknown>;
}

/** True when the field's patch strategy includes `merge` (lists merge instead of being replaced). */
export function mergesList(fm: FieldMeta | undefined): boolean {
  return !!fm?.strategy && fm.strategy.split(',').includes('merge');
}

/** True when the field's patch strategy includes `retainKeys`. */
export function retainsKeys(fm: FieldMeta | undefined): boolean {
  return !!fm?.strategy && fm.strategy.split(',').includes('retainKeys');
}

/** True when the field's patch strategy is `replace` (maps and lists replaced whole). */
export function replacesValue(fm: FieldMeta | undefined): boolean {
  return !!fm?.strategy && fm.strategy.split(',').includes('replace');
}

/**
 * The list semantics server-side apply uses for a field: `+listType` when given, else derived from
 * the patch strategy (merge with a key: map keyed by it; merge without: set), else atomic.
 */
export function listSemantics(fm: FieldMeta | undefined): ListSemantics {
  if (fm?.listType === 'map' && fm.listMapKeys?.length) return { kind: 'map', keys: fm.listMapKeys, keyDefaults: fm.keyDefaults ?? {} };
  if (fm?.listType === 'set') return { kind: 'set' };
  if (fm?.listType === 'atomic') return { kind: 'atomic' };
  if (fm && !fm.listType && (fm.strategy === 'merge' || fm.strategy === 'merge,retainKeys')) {
    if (fm.mergeKey) return { kind: 'map', keys: [fm.mergeKey], keyDefaults: fm.keyDefaults ?? {} };
    return { kind: 'set' };
  }
  return { kind: 'atomic' };
}

/** True when server-side apply treats the field's map value as one atomic leaf. */
export function atomicMap(fm: FieldMeta | undefined): boolean {
  return fm?.mapType === 'atomic';
}

/**
 * OpenAPI vendor extensions for one property of an upstream definition
 * (`io.k8s.api.core.v1.PodSpec`, `containers`), as upstream's OpenAPI carries them.
 */
export function openapiExtensions(definitionName: string, property: string): Record<string, unknown> | undefined {
  const typeName = DEFINITION_TYPES[definitionName];
  if (!typeName) return undefined;
  const f = PATCH_META[typeName]?.[property];
  if (!f) return undefined;
  const ext: Record<string, unknown> = {};
  if (f.listMapKeys) ext['x-kubernetes-list-map-keys'] = [...f.listMapKeys];
  if (f.listType) ext['x-kubernetes-list-type'] = f.listType;
  if (f.mapType) ext['x-kubernetes-map-type'] = f.mapType;
  if (f.mergeKey) ext['x-kubernetes-patch-merge-key'] = f.mergeKey;
  if (f.strategy) ext['x-kubernetes-patch-strategy'] = f.strategy;
  return Object.keys(ext).length ? ext : undefined;
}

/** `x-kubernetes-map-type: atomic` for definitions marked `+structType=atomic`. */
export function openapiTypeExtensions(definitionName: string): Record<string, unknown> | undefined {
  const typeName = DEFINITION_TYPES[definitionName];
  return typeName && ATOMIC_TYPES.has(typeName) ? { 'x-kubernetes-map-type': 'atomic' } : undefined;
}

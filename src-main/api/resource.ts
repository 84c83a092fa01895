/**
 * What the API server needs to know about one kind: its names, scope, subresources,
 * defaulting, validation, strategy hooks and Table columns. One `ResourceDef` per
 * served group/version/resource, written in one file per kind under `api/<group>/`.
 */
import type { KubeObject } from './types';
import type { FieldError } from './field-errors';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Subresources the router knows. Streaming ones answer with a clear error until their issue lands. */
export type Subresource = 'status' | 'scale' | 'binding' | 'eviction' | 'log' | 'exec' | 'attach' | 'portforward' | 'proxy' | 'finalize';

export interface ColumnDef {
  name: string; // as upstream spells it: 'Name', 'Ready', 'Nominated Node'
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: 'name' | string;
  description: string;
  priority: 0 | 1;
}

export type Cell = string | number | boolean | null;

export interface TableDef {
  columns: ColumnDef[];
  /** One row's cells, exactly as many as `columns` (priority 1 included). `now` is ms since epoch. */
  row(obj: KubeObject, now: number): Cell[];
  /** Optional per-row conditions (pods: Completed=True for Succeeded/Failed). */
  conditions?(obj: KubeObject): { type: string; status: string; reason?: string; message?: string }[] | undefined;
}

/** How `/scale` maps onto the object. Paths are dotted, e.g. `spec.replicas`. */
export interface ScaleDef {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** Context a kind's hooks can read. */
export interface StrategyContext {
  /** The namespace of the request ('' for cluster-scoped). */
  namespace: string;
  now: Date;
}

export interface ResourceDef {
  group: string; // '' = core
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: Verb[]; // default ALL_VERBS
  subresources?: Subresource[];
  scale?: ScaleDef;

  /**
   * Several versions (autoscaling/v1 and v2) or groups (core and events.k8s.io Events) can share one
   * storage. `resource` is the storage name, `version` the version objects are stored in; the converters
   * turn a stored object into this version and back. Omit for the common case (stored as served).
   */
  storage?: {
    group: string;
    resource: string;
    version: string;
    toStorage(obj: KubeObject): KubeObject;
    fromStorage(obj: KubeObject): KubeObject;
  };

  /**
   * metadata.generation starts at 1 and is bumped whenever anything outside metadata and status
   * changes (deployments, replicasets, jobs, …). Kinds without it keep no generation.
   */
  generation?: boolean;

  /**
   * What a delete without `propagationPolicy` does to dependents (the strategy's
   * DefaultGarbageCollectionPolicy): `Orphan` for kinds kept so for backwards compatibility
   * (core/v1 ReplicationController); otherwise the garbage collector deletes them in the background.
   */
  defaultPropagationPolicy?: 'Orphan';

  /**
   * Create strategy (runs after the server resets status for kinds with a status subresource):
   * set status fields a new object starts with (pod phase Pending, namespace phase Active).
   */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void;
  /** Update strategy for the main resource (status already copied from `old`). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;

  /** Defaulting, in place, as the upstream `SetDefaults_*` functions (plus default admission). */
  default?(obj: KubeObject): void;

  /** Validation with upstream field paths and wordings. `old` is set on update (immutability checks). */
  validate?(obj: KubeObject, old: KubeObject | undefined): FieldError[];
  /** Validation of a status write. */
  validateStatus?(obj: KubeObject, old: KubeObject): FieldError[];

  /** Field selectors beyond metadata.name / metadata.namespace: `spec.nodeName`, `status.phase`. */
  fieldSelectors?: Record<string, (obj: KubeObject) => string | undefined>;

  /** Server-side Table printing. Without it the server prints NAME and AGE (as for CRDs). */
  table?: TableDef;
}

export function servedVerbs(def: ResourceDef): Verb[] {
  return def.verbs ?? ALL_VERBS;
}

export function apiVersionOf(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** Reads a dotted path like `spec.replicas` from an object. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Writes a dotted path, creating objects on the way. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> = obj;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

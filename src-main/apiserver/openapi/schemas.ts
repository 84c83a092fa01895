/**
 * The OpenAPI definitions generated at build time by scripts/gen-openapi.mjs (from the model
 * metadata in @kubernetes/client-node), decompressed and parsed on first use so server start-up
 * pays (almost) nothing.
 *
 * Definitions are OpenAPI v3 flavoured: `$ref`s point at `#/components/schemas/<name>`, names are
 * upstream's (`io.k8s.api.core.v1.Pod`). Imports nothing but the generated file.
 */
import { brotliDecompressSync } from 'node:zlib';
import { DEFINITIONS_BR_BASE64, KIND_DEFINITIONS, GV_ROOTS } from './generated/definitions';

/** A JSON Schema object as found in the definitions (only the parts kubesim reads are typed). */
export interface Schema {
  description?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  required?: string[];
  $ref?: string;
  default?: unknown;
  enum?: unknown[];
  'x-kubernetes-group-version-kind'?: GVK[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  [extension: string]: unknown;
}

export interface GVK {
  group: string;
  version: string;
  kind: string;
}

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

let parsed: Record<string, Schema> | undefined;

/** All definitions by name. Decompressed and parsed once, on first call (~10 ms). Treat as read-only. */
export function definitions(): Record<string, Schema> {
  if (!parsed) parsed = JSON.parse(brotliDecompressSync(Buffer.from(DEFINITIONS_BR_BASE64, 'base64')).toString('utf8')) as Record<string, Schema>;
  return parsed;
}

/** The definition name for a group/version/kind (`''` for core), if one was generated. */
export function definitionNameFor(group: string, version: string, kind: string): string | undefined {
  return KIND_DEFINITIONS[`${group}/${version}/${kind}`];
}

/** The definition for a group/version/kind, if one was generated. */
export function definitionFor(group: string, version: string, kind: string): Schema | undefined {
  const name = definitionNameFor(group, version, kind);
  return name ? definitions()[name] : undefined;
}

/** Roots of a group-version's document ("v1", "apps/v1"): its kinds, their lists, subresource kinds. */
export function groupVersionRoots(gv: string): string[] {
  return GV_ROOTS[gv] ?? [];
}

/** Resolves a `$ref` string to the definition name. */
export function refName(ref: string): string {
  return ref.startsWith(SCHEMA_REF_PREFIX) ? ref.slice(SCHEMA_REF_PREFIX.length) : ref.replace(/^#\/definitions\//, '');
}

/** The definition a schema points to (through `$ref` or a single `allOf`), or the schema itself. */
export function resolve(schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 8; i++) {
    if (s.$ref) {
      const target = definitions()[refName(s.$ref)];
      if (!target) return s;
      s = target;
    } else if (s.allOf && s.allOf.length === 1 && !s.properties) {
      s = s.allOf[0];
    } else break;
  }
  return s;
}

/** Every definition name reachable from `roots` (roots included), sorted. */
export function closure(roots: Iterable<string>): string[] {
  const defs = definitions();
  const seen = new Set<string>();
  const stack = [...roots];
  const visit = (s: unknown): void => {
    if (Array.isArray(s)) {
      for (const x of s) visit(x);
    } else if (typeof s === 'object' && s !== null) {
      for (const [k, v] of Object.entries(s)) {
        if (k === '$ref' && typeof v === 'string') stack.push(refName(v));
        else if (typeof v === 'object') visit(v);
      }
    }
  };
  while (stack.length) {
    const name = stack.pop() as string;
    if (seen.has(name) || !defs[name]) continue;
    seen.add(name);
    visit(defs[name]);
  }
  return [...seen].sort();
}

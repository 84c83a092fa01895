/**
 * JSON Merge Patch (RFC 7386, `application/merge-patch+json`): objects merge key by key, `null`
 * deletes a key, anything else (arrays included) replaces the target value.
 *
 * Pure: inputs are never modified.
 */
import { isObject } from '../../api/types';

/** Applies a merge patch (already parsed JSON) to `target` and returns the result. */
export function applyMergePatch<T = unknown>(target: T, patch: unknown): T {
  return mergePatchValue(target, patch) as T;
}

function mergePatchValue(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete out[k];
    } else {
      out[k] = mergePatchValue(out[k], v);
    }
  }
  return out;
}

/**
 * Builds the merge patch that turns `original` into `modified` (what `kubectl` sends for kinds
 * without strategic-merge metadata): changed keys, `null` for removed keys, whole arrays.
 */
export function createMergePatch(original: unknown, modified: unknown): unknown {
  if (!isObject(original) || !isObject(modified)) return clone(modified);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(original)) {
    if (!(k in modified)) out[k] = null;
  }
  for (const [k, v] of Object.entries(modified)) {
    const o = original[k];
    if (!(k in original)) {
      out[k] = clone(v);
    } else if (isObject(o) && isObject(v)) {
      const sub = createMergePatch(o, v) as Record<string, unknown>;
      if (Object.keys(sub).length) out[k] = sub;
    } else if (JSON.stringify(o) !== JSON.stringify(v)) {
      out[k] = clone(v);
    }
  }
  return out;
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

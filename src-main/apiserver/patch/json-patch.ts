/**
 * JSON Patch (RFC 6902, `application/json-patch+json`): add, remove, replace, move, copy, test,
 * with RFC 6901 pointers (`~0` = `~`, `~1` = `/`, `-` = past the end of an array).
 *
 * Errors as the Kubernetes API server reports them:
 *  - a body that is not a list of operations: 400 BadRequest with the decoder's message;
 *  - more than 10000 operations: 413 RequestEntityTooLarge;
 *  - an operation that does not apply (missing path, failed test, bad index, unknown op): 422
 *    Invalid with the generic `the server rejected our request due to an error in our request`
 *    (upstream wraps the patch library's error in a generic 422 that drops its text). The
 *    library-style detail (`add operation does not apply: doc is missing path: "/spec/foo"`)
 *    is kept as the error's `cause` for logs.
 *
 * Pure: the input document is never modified.
 */
import { StatusError, badRequest } from '../../api/errors';
import { isObject } from '../../api/types';

export const MAX_JSON_PATCH_OPERATIONS = 10000;

export type JsonPatchOp =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/** An operation that did not apply; turned into the apiserver's 422 by `applyJsonPatch`. */
export class JsonPatchApplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchApplyError';
  }
}

/** Validates the body's shape (a list of objects with string `op`/`path`), or throws 400 / 413. */
export function decodeJsonPatch(body: unknown): Record<string, unknown>[] {
  if (!Array.isArray(body)) {
    const what = body === null ? 'null' : typeof body === 'object' ? 'object' : typeof body === 'string' ? 'string' : typeof body === 'number' ? 'number' : 'bool';
    if (body === null) return [];
    throw badRequest(`json: cannot unmarshal ${what} into Go value of type jsonpatch.Patch`);
  }
  for (const op of body) {
    if (!isObject(op)) {
      const what = Array.isArray(op) ? 'array' : op === null ? 'null' : typeof op === 'string' ? 'string' : typeof op === 'number' ? 'number' : 'bool';
      throw badRequest(`json: cannot unmarshal ${what} into Go value of type jsonpatch.Operation`);
    }
  }
  if (body.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${body.length}`);
  }
  return body as Record<string, unknown>[];
}

/** The apiserver's answer to a patch that does not apply. */
export function jsonPatchInvalid(detail: string): StatusError {
  const err = new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  (err as Error & { cause?: unknown }).cause = detail;
  return err;
}

/**
 * Applies a JSON patch body (already parsed JSON) to `doc` and returns the patched copy.
 * Throws StatusErrors as described above.
 */
export function applyJsonPatch<T = unknown>(doc: T, patch: unknown): T {
  const ops = decodeJsonPatch(patch);
  try {
    return applyJsonPatchOps(doc, ops) as T;
  } catch (e) {
    if (e instanceof JsonPatchApplyError) throw jsonPatchInvalid(e.message);
    throw e;
  }
}

/** Applies operations; throws JsonPatchApplyError (library wording) when one does not apply. */
export function applyJsonPatchOps(doc: unknown, ops: readonly Record<string, unknown>[]): unknown {
  let root = clone(doc);
  for (const raw of ops) {
    const op = raw.op;
    switch (op) {
      case 'add':
        root = opAdd(root, pathOf(raw, 'path'), valueOf(raw));
        break;
      case 'remove':
        root = opRemove(root, pathOf(raw, 'path'));
        break;
      case 'replace':
        root = opReplace(root, pathOf(raw, 'path'), valueOf(raw));
        break;
      case 'move': {
        const from = pathOf(raw, 'from');
        const to = pathOf(raw, 'path');
        if (from === to) break;
        if (to.startsWith(from + '/')) throw new JsonPatchApplyError(`move operation does not apply: "from" (${from}) is a prefix of "path" (${to})`);
        const v = get(root, from);
        if (v === undefined) throw new JsonPatchApplyError(`move operation does not apply: doc is missing from path: ${JSON.stringify(from)}`);
        root = opRemove(root, from, 'move');
        root = opAdd(root, to, v, 'move');
        break;
      }
      case 'copy': {
        const from = pathOf(raw, 'from');
        const v = get(root, from);
        if (v === undefined) throw new JsonPatchApplyError(`copy operation does not apply: doc is missing from path: ${JSON.stringify(from)}`);
        root = opAdd(root, pathOf(raw, 'path'), clone(v), 'copy');
        break;
      }
      case 'test': {
        const path = pathOf(raw, 'path');
        const actual = get(root, path);
        const expected = valueOf(raw);
        if (actual === undefined) {
          if (expected === null) break;
          throw new JsonPatchApplyError(`testing value ${path} failed: test failed`);
        }
        if (!deepEqual(actual, expected)) throw new JsonPatchApplyError(`testing value ${path} failed: test failed`);
        break;
      }
      default:
        throw new JsonPatchApplyError(`Unexpected kind: ${typeof op === 'string' ? op : 'unknown'}`);
    }
  }
  return root;
}

// ---------------------------------------------------------------------------------------------

function pathOf(op: Record<string, unknown>, key: 'path' | 'from'): string {
  const p = op[key];
  if (typeof p !== 'string') throw new JsonPatchApplyError(`operation missing ${key} field`);
  if (p !== '' && !p.startsWith('/')) throw new JsonPatchApplyError(`invalid JSON pointer ${JSON.stringify(p)}: must start with "/"`);
  return p;
}

function valueOf(op: Record<string, unknown>): unknown {
  if (!('value' in op)) return null;
  return op.value;
}

/** Splits a JSON pointer into unescaped reference tokens. */
export function parsePointer(path: string): string[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Escapes one token for a JSON pointer. */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function arrayIndex(token: string, len: number, allowEnd: boolean): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const i = Number(token);
  if (i > len || (!allowEnd && i === len)) return undefined;
  return i;
}

function get(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const t of parsePointer(path)) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(t, cur.length, false);
      if (i === undefined) return undefined;
      cur = cur[i];
    } else if (isObject(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, t)) return undefined;
      cur = cur[t];
    } else {
      return undefined;
    }
  }
  return cur;
}

/** The container holding the last token of `path`, and that token. */
function parentOf(root: unknown, path: string, opName: string): { parent: unknown; key: string } {
  const tokens = parsePointer(path);
  const key = tokens.pop() as string;
  const parentPath = tokens.length ? '/' + tokens.map(escapePointerToken).join('/') : '';
  const parent = get(root, parentPath);
  if (parent === undefined || parent === null || (typeof parent !== 'object')) {
    throw new JsonPatchApplyError(`${opName} operation does not apply: doc is missing path: ${JSON.stringify(path)}`);
  }
  return { parent, key };
}

function opAdd(root: unknown, path: string, value: unknown, opName = 'add'): unknown {
  if (path === '') return clone(value);
  const { parent, key } = parentOf(root, path, opName);
  if (Array.isArray(parent)) {
    if (key === '-') {
      parent.push(clone(value));
      return root;
    }
    const i = arrayIndex(key, parent.length, true);
    if (i === undefined) throw new JsonPatchApplyError(`${opName} operation does not apply: doc is missing path: ${JSON.stringify(path)}: Unable to access invalid index: ${key}`);
    parent.splice(i, 0, clone(value));
    return root;
  }
  (parent as Record<string, unknown>)[key] = clone(value);
  return root;
}

function opRemove(root: unknown, path: string, opName = 'remove'): unknown {
  if (path === '') throw new JsonPatchApplyError(`${opName} operation does not apply: doc is missing path: ""`);
  const { parent, key } = parentOf(root, path, opName);
  if (Array.isArray(parent)) {
    const i = arrayIndex(key, parent.length, false);
    if (i === undefined) throw new JsonPatchApplyError(`Unable to remove nonexistent key: ${key}: missing value`);
    parent.splice(i, 1);
    return root;
  }
  const obj = parent as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(obj, key)) throw new JsonPatchApplyError(`Unable to remove nonexistent key: ${key}: missing value`);
  delete obj[key];
  return root;
}

function opReplace(root: unknown, path: string, value: unknown): unknown {
  if (path === '') return clone(value);
  const { parent, key } = parentOf(root, path, 'replace');
  if (Array.isArray(parent)) {
    const i = arrayIndex(key, parent.length, false);
    if (i === undefined) throw new JsonPatchApplyError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    parent[i] = clone(value);
    return root;
  }
  const obj = parent as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(obj, key)) throw new JsonPatchApplyError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
  obj[key] = clone(value);
  return root;
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

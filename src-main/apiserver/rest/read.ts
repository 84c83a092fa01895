/**
 * GET of one object and LIST of a collection: selectors, paging with continue tokens,
 * resourceVersion semantics, and the Table / PartialObjectMetadata renderings.
 */
import type { ResourceDef } from '../../api/resource';
import type { KubeObject, ListMeta } from '../../api/types';
import { StatusError, badRequest, gone, notFound } from '../../api/errors';
import { StoreError } from '../../storage/types';
import type { ServerContext } from '../context';
import { keyFor, prefixFor, viewServed } from '../storage-keys';
import { parseAccept } from '../media';
import { includeObjectOption, partialMetadata, toTable } from './table';
import { buildSelection } from './selection';

export function listKind(def: ResourceDef): string {
  return `${def.kind}List`;
}

export function getObject(ctx: ServerContext, def: ResourceDef, namespace: string, name: string, query: URLSearchParams, accept: string | undefined): unknown {
  const cur = ctx.store.get(keyFor(def, namespace, name));
  if (!cur) throw notFound(def.group, def.plural, name);
  const obj = viewServed(def, cur.object);
  const a = parseAccept(accept);
  if (a.table) return toTable(def, [obj], { resourceVersion: obj.metadata.resourceVersion }, includeObjectOption(query));
  if (a.partialMetadata) return partialMetadata(obj);
  return obj;
}

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

function encodeContinue(rv: number, lastKey: string, prefix: string): string {
  const t: ContinueToken = { v: 'meta.k8s.io/v1', rv, start: lastKey.slice(prefix.length) };
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad');
    return t;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

function parseRv(s: string | null): number | undefined {
  if (s === null || s === '') return undefined;
  if (!/^\d+$/.test(s)) throw badRequest(`resourceVersion: Invalid value: "${s}": must be a non-negative integer`);
  return Number(s);
}

export interface ListResultServed {
  items: KubeObject[];
  meta: ListMeta;
}

/** Reads a collection with selectors, paging and resourceVersion semantics. */
export function listObjects(ctx: ServerContext, def: ResourceDef, namespace: string, query: URLSearchParams): ListResultServed {
  const sel = buildSelection(def, query);
  const prefix = prefixFor(def, namespace);
  const limitText = query.get('limit');
  let limit: number | undefined;
  if (limitText !== null && limitText !== '') {
    if (!/^-?\d+$/.test(limitText)) throw badRequest(`limit: Invalid value: "${limitText}": must be an integer`);
    const n = Number(limitText);
    limit = n > 0 ? n : undefined;
  }
  const rv = parseRv(query.get('resourceVersion'));
  const match = query.get('resourceVersionMatch') ?? '';
  if (match && match !== 'Exact' && match !== 'NotOlderThan') {
    throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  if (match && rv === undefined) {
    throw badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
  }
  const cont = query.get('continue');
  let atRevision: number | undefined;
  let startAfterKey: string | undefined;
  if (cont) {
    if (rv !== undefined && rv !== 0) throw badRequest('specifying resource version is not allowed when using continue');
    const t = decodeContinue(cont);
    atRevision = t.rv;
    startAfterKey = prefix + t.start;
  } else if (match === 'Exact') {
    atRevision = rv;
  } else if (rv !== undefined && rv > ctx.store.currentRevision()) {
    throw new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${rv}, current: ${ctx.store.currentRevision()}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
  }
  let res;
  try {
    res = ctx.store.list(prefix, {
      atRevision,
      startAfterKey,
      limit,
      filter: sel.isEverything ? undefined : (o) => sel.matches(viewServed(def, o)),
    });
  } catch (e) {
    if (e instanceof StoreError && e.code === 'Gone') {
      if (cont) {
        throw gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
      }
      throw gone(`too old resource version: ${atRevision} (${ctx.store.currentRevision()})`);
    }
    throw e;
  }
  const items = res.items.map((s) => viewServed(def, s.object));
  const meta: ListMeta = { resourceVersion: String(res.revision) };
  if (res.more && res.items.length) {
    meta.continue = encodeContinue(res.revision, res.items[res.items.length - 1].key, prefix);
    if (res.remaining !== undefined) meta.remainingItemCount = res.remaining;
  }
  return { items, meta };
}

export function renderList(def: ResourceDef, list: ListResultServed, query: URLSearchParams, accept: string | undefined): unknown {
  const a = parseAccept(accept);
  if (a.table) return toTable(def, list.items, list.meta, includeObjectOption(query));
  if (a.partialMetadata) {
    return { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: list.meta, items: list.items.map(partialMetadata) };
  }
  return {
    kind: listKind(def),
    apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
    metadata: list.meta,
    items: list.items,
  };
}

/**
 * PATCH in its four content types (JSON patch, merge patch, strategic merge patch, server-side
 * apply) on objects and on `/scale`, all ending in the shared update pipeline.
 */
import type { ResourceDef } from '../../api/resource';
import { apiVersionOf } from '../../api/resource';
import type { KubeObject } from '../../api/types';
import { isObject } from '../../api/types';
import { badRequest } from '../../api/errors';
import { patchMetaFor, zeroObject } from '../../api/patch-meta';
import type { ServerContext } from '../context';
import type { ApiRequest } from '../types';
import { bodyFormat, decodeBody, type BodyFormat } from '../media';
import { applyJsonPatch } from '../patch/json-patch';
import { applyMergePatch } from '../patch/merge-patch';
import { applyStrategicMergePatch, strategicMergePatchUnsupported } from '../patch/strategic-merge';
import { serverSideApply } from '../patch/apply';
import { rfc3339 } from './meta';
import type { WriteOptions } from './options';
import { updateObject, type UpdateResult } from './write';
import { scaleOf, updateScale } from './subresources';

const PATCH_FORMATS: BodyFormat[] = ['json-patch', 'merge-patch', 'strategic-merge-patch', 'apply-patch'];

function patchFunction(def: ResourceDef, format: BodyFormat, patch: unknown): (cur: KubeObject) => KubeObject {
  switch (format) {
    case 'json-patch':
      return (cur) => applyJsonPatch(cur, patch);
    case 'merge-patch':
      if (!isObject(patch)) throw badRequest('json: cannot unmarshal the patch: a merge patch must be a JSON object');
      return (cur) => applyMergePatch(cur, patch);
    case 'strategic-merge-patch': {
      const meta = patchMetaFor(def.group, def.version, def.kind);
      if (!meta) throw strategicMergePatchUnsupported();
      if (!isObject(patch)) throw badRequest('json: cannot unmarshal the patch: a strategic merge patch must be a JSON object');
      return (cur) => applyStrategicMergePatch(cur, patch, meta);
    }
    default:
      throw badRequest(`unsupported patch type ${format}`);
  }
}

export function patchObject(ctx: ServerContext, def: ResourceDef, ns: string, name: string, sub: '' | 'status', req: ApiRequest, opts: WriteOptions): UpdateResult {
  const format = bodyFormat(req.headers['content-type'], PATCH_FORMATS);
  const patch = decodeBody(req.body, format);
  if (format !== 'apply-patch') {
    return updateObject(ctx, def, ns, name, { subresource: sub, mutate: patchFunction(def, format, patch) }, opts);
  }
  // Server-side apply.
  if (!req.query.get('fieldManager')) throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  if (!isObject(patch)) throw badRequest('error decoding YAML: the applied configuration must be an object');
  const applied = patch as KubeObject;
  const applyOpts = {
    manager: opts.fieldManager,
    force: opts.force,
    apiVersion: apiVersionOf(def),
    now: rfc3339(ctx.now()),
    meta: patchMetaFor(def.group, def.version, def.kind),
    subresource: sub,
    zero: zeroObject(def.group, def.version, def.kind),
  };
  const appliedOpts: WriteOptions = { ...opts, applied: true };
  return updateObject(
    ctx,
    def,
    ns,
    name,
    {
      subresource: sub,
      mutate: (cur) => {
        const out = serverSideApply(cur, applied, applyOpts);
        // The apply decides the content; a resourceVersion in it is a precondition like any other.
        if (!applied.metadata?.resourceVersion) delete out.metadata.resourceVersion;
        return out;
      },
      createIfMissing: () => serverSideApply(undefined, applied, applyOpts),
    },
    appliedOpts,
  );
}

export function patchScale(ctx: ServerContext, def: ResourceDef, ns: string, name: string, req: ApiRequest, opts: WriteOptions): KubeObject {
  const format = bodyFormat(req.headers['content-type'], ['json-patch', 'merge-patch', 'strategic-merge-patch']);
  const patch = decodeBody(req.body, format);
  return updateScale(
    ctx,
    def,
    ns,
    name,
    (scale) => {
      if (format === 'json-patch') return applyJsonPatch(scale, patch);
      if (!isObject(patch)) throw badRequest('json: cannot unmarshal the patch: a merge patch must be a JSON object');
      return applyMergePatch(scale, patch);
    },
    opts,
  );
}

export { scaleOf };

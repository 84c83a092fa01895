/**
 * Subresources that are not plain status writes: `/scale` (autoscaling/v1 Scale),
 * `pods/binding`, `pods/eviction`, and the streaming ones (log, exec, attach, portforward, proxy)
 * that answer with a clear error until the kubelet and network issues land.
 */
import type { ResourceDef } from '../../api/resource';
import { getPath, setPath } from '../../api/resource';
import type { KubeObject } from '../../api/types';
import { isObject } from '../../api/types';
import { StatusError, badRequest, notFound } from '../../api/errors';
import type { ServerContext } from '../context';
import { readCurrent, updateObject } from './write';
import type { WriteOptions } from './options';
import { clone } from './meta';
import { formatSelectorForScale } from './selection';

export function scaleOf(def: ResourceDef, obj: KubeObject): KubeObject {
  const s = def.scale!;
  const status: Record<string, unknown> = { replicas: (getPath(obj, s.statusReplicasPath) as number | undefined) ?? 0 };
  if (s.labelSelectorPath) {
    const sel = getPath(obj, s.labelSelectorPath);
    const text = typeof sel === 'string' ? sel : formatSelectorForScale(getPath(obj, 'spec.selector'));
    if (text) status.selector = text;
  }
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: (getPath(obj, s.specReplicasPath) as number | undefined) ?? 0 },
    status,
  };
}

export function getScale(ctx: ServerContext, def: ResourceDef, ns: string, name: string): KubeObject {
  const cur = readCurrent(ctx, def, ns, name);
  if (!cur) throw notFound(def.group, def.plural, name);
  return scaleOf(def, cur.object);
}

/** Applies a desired Scale (from PUT, or a patched Scale) to the object's spec replicas. */
export function updateScale(ctx: ServerContext, def: ResourceDef, ns: string, name: string, desired: (current: KubeObject) => unknown, opts: WriteOptions): KubeObject {
  const res = updateObject(
    ctx,
    def,
    ns,
    name,
    {
      subresource: '',
      skipFieldCheck: true,
      mutate: (obj) => {
        const scale = desired(scaleOf(def, obj));
        if (!isObject(scale)) throw badRequest('the body of the request is not a Scale object');
        const spec = (scale.spec ?? {}) as Record<string, unknown>;
        const replicas = spec.replicas;
        if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas))) {
          throw badRequest(`json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
        }
        if (typeof replicas === 'number' && replicas < 0) {
          throw new StatusError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`, {
            name,
            group: 'autoscaling',
            kind: 'Scale',
            causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${replicas}: must be greater than or equal to 0`, field: 'spec.replicas' }],
          });
        }
        const m = (scale.metadata ?? {}) as Record<string, unknown>;
        const next = clone(obj);
        if (typeof m.resourceVersion === 'string' && m.resourceVersion) next.metadata.resourceVersion = m.resourceVersion;
        else delete next.metadata.resourceVersion;
        setPath(next as unknown as Record<string, unknown>, def.scale!.specReplicasPath, replicas ?? 0);
        return next;
      },
    },
    opts,
  );
  return scaleOf(def, res.object);
}

/** POST pods/{name}/binding: `binding.ts`. */
export { bindPod } from './binding';

/** POST pods/{name}/eviction: `eviction.ts` (PodDisruptionBudgets honoured). */
export { evictPod } from './eviction';

/** Streaming subresources still to come with the network issue: exec, attach, port-forward, proxy. */
export function streamingNotReady(ctx: ServerContext, def: ResourceDef, ns: string, name: string, sub: string): never {
  const cur = readCurrent(ctx, def, ns, name);
  if (!cur) throw notFound(def.group, def.plural, name);
  if (def.plural === 'pods' && (sub === 'exec' || sub === 'attach')) {
    throw new StatusError(503, 'ServiceUnavailable', `${def.plural}/${sub} is not available in this kubesim build yet: containers run, but streams into them (exec, attach) are not served; \`kubectl logs\` works`);
  }
  throw new StatusError(503, 'ServiceUnavailable', `${def.plural}/${sub} is not available in this kubesim build yet: the simulated network that serves it is not running`);
}

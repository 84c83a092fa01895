/**
 * POST pods/{name}/binding (pkg/registry/core/pod/storage BindingREST + assignPod): sets
 * spec.nodeName once, copies the Binding's annotations onto the pod and sets the PodScheduled
 * condition, in one guaranteed update of the stored pod (retried on a revision conflict), as
 * upstream does: no admission or managed-fields entry for the pod itself. The scheduler binds
 * every pod through here, so it is kept lean: the new object shares the unchanged parts of the
 * stored (frozen) one and the store makes its own copy.
 */
import type { ResourceDef } from '../../api/resource';
import type { KubeObject } from '../../api/types';
import { isObject } from '../../api/types';
import { StatusError, badRequest, conflict, notFound } from '../../api/errors';
import { StoreError } from '../../storage/types';
import type { ServerContext } from '../context';
import { keyFor } from '../storage-keys';
import type { WriteOptions } from './options';
import { rfc3339 } from './meta';

const SUCCESS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
const MAX_TRIES = 5;

export function bindPod(ctx: ServerContext, def: ResourceDef, ns: string, name: string, body: unknown, opts: WriteOptions): unknown {
  if (!isObject(body)) throw badRequest('the body of the request is not a Binding object');
  const meta = isObject(body.metadata) ? body.metadata : {};
  const annotations = isObject(meta.annotations) ? meta.annotations : {};
  const uid = typeof meta.uid === 'string' ? meta.uid : '';
  const target = isObject(body.target) ? body.target : {};
  const node = typeof target.name === 'string' ? target.name : '';
  if (!node) {
    throw new StatusError(422, 'Invalid', `Binding "${name}" is invalid: target.name: Required value`, { name, kind: 'Binding', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }] });
  }
  const key = keyFor(def, ns, name);
  for (let attempt = 1; ; attempt++) {
    const cur = ctx.store.get(key);
    if (!cur) throw notFound('', 'pods', name);
    const pod = cur.object;
    const spec = isObject(pod.spec) ? pod.spec : {};
    if (uid && pod.metadata.uid !== uid) {
      throw conflict('', 'pods', name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
    }
    if (pod.metadata.deletionTimestamp) throw conflict('', 'pods', name, 'pod is being deleted, cannot be assigned to a host');
    if (spec.nodeName) throw conflict('', 'pods', name, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
    if (opts.dryRun) return SUCCESS;
    const status = isObject(pod.status) ? pod.status : {};
    const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter((c) => !(isObject(c) && c.type === 'PodScheduled'));
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.now()) });
    const metadata: KubeObject['metadata'] = { ...pod.metadata };
    if (Object.keys(annotations).length) {
      const own: Record<string, string> = { ...(pod.metadata.annotations ?? {}) };
      for (const [k, v] of Object.entries(annotations)) own[k] = String(v);
      metadata.annotations = own;
    }
    const next: KubeObject = { ...pod, metadata, spec: { ...spec, nodeName: node }, status: { ...status, conditions } };
    try {
      ctx.store.update(key, next, cur.rv);
      return SUCCESS;
    } catch (e) {
      if (e instanceof StoreError && e.code === 'Conflict' && attempt < MAX_TRIES) continue;
      if (e instanceof StoreError && e.code === 'NotFound') throw notFound('', 'pods', name);
      if (e instanceof StoreError && e.code === 'Conflict') throw conflict('', 'pods', name);
      throw e;
    }
  }
}

/**
 * EndpointSlice controller (upstream `endpointslice-controller`): keeps, for every Service with a
 * selector, the IPv4 EndpointSlices labelled `kubernetes.io/service-name: <svc>` and
 * `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io`, owned by the Service
 * (so the garbage collector removes them with it), named `<svc>-<5 random>`. Existing slices
 * are reused (updated only when they differ), extra ones deleted; a service without endpoints
 * keeps one empty placeholder slice, as upstream. Slices managed by anyone else are never touched.
 */
import type { KubeObject } from '../../api/types';
import { StatusError } from '../../api/errors';
import { R, RateLimitingQueue, splitMetaNamespaceKey, type EventRecorder, type KubeClient, type SharedInformer } from '../../client';
import type { ControllerContext, ControllerDefinition, RunningController } from '../controller';
import { wireServiceQueue } from '../endpoints';
import { HEADLESS_LABEL, TRIGGER_TIME_ANNOTATION, isHeadless, serviceSelector, triggerTime } from './service-pods';
import { desiredSlices, portsKey, type DesiredSlice } from './desired-slices';
import { SliceTracker, StaleCacheError } from './tracker';
import { runningController, queueWorkers, logSyncErrors, isConflict } from '../workers';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
const SERVICE_INDEX = 'endpointslice/service';

/** The labels of a service's slices: the service's own, its name, the manager, headless. */
export function sliceLabels(svc: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  labels[SERVICE_NAME_LABEL] = svc.metadata.name ?? '';
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function managedBy(slice: KubeObject): boolean {
  return slice.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME;
}

export class EndpointSliceController {
  readonly tracker = new SliceTracker();

  constructor(
    private readonly client: KubeClient,
    private readonly services: SharedInformer,
    private readonly pods: SharedInformer,
    private readonly slices: SharedInformer,
    private readonly recorder?: EventRecorder,
  ) {}

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const svc = this.services.get(namespace, name);
    // A deleted service's slices go with it through their ownerReference (garbage collector).
    if (!svc) {
      this.tracker.forget(key);
      return;
    }
    this.tracker.check(key, (n) => this.slices.get(namespace, n));
    const selector = serviceSelector(svc);
    if (!selector) return;
    const uid = svc.metadata.uid ?? '';
    const existing = this.slices
      .byIndex(SERVICE_INDEX, key)
      .filter((s) => managedBy(s) && !s.metadata.deletionTimestamp && (s.metadata.ownerReferences ?? []).some((o) => o.uid === uid))
      .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    const pods = this.pods.list(namespace, selector);
    let desired = desiredSlices(svc, pods);
    // No endpoints: one placeholder slice, as upstream keeps.
    if (desired.length === 0) desired = [{ ports: [], endpoints: [] }];
    const labels = sliceLabels(svc);
    const trigger = triggerTime(svc, pods);

    const unused = [...existing];
    const take = (d: DesiredSlice): KubeObject | undefined => {
      const samePorts = unused.filter((s) => portsKey(s.ports as unknown[]) === portsKey(d.ports));
      const pick = samePorts.find((s) => same(s.endpoints, d.endpoints)) ?? samePorts[0] ?? unused[0];
      if (pick) unused.splice(unused.indexOf(pick), 1);
      return pick;
    };
    const writes: Promise<unknown>[] = [];
    for (const d of desired) {
      const slice = take(d);
      if (!slice) {
        writes.push(this.create(svc, d, labels, trigger).then((c) => c && this.tracker.wrote(key, c)));
        continue;
      }
      const endpointsSame = same(slice.endpoints ?? [], d.endpoints) && same(slice.ports ?? [], d.ports);
      if (endpointsSame && same(slice.metadata.labels ?? {}, labels)) continue;
      const next = structuredClone(slice) as KubeObject;
      next.metadata.labels = labels;
      if (!endpointsSame && trigger) next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [TRIGGER_TIME_ANNOTATION]: trigger };
      next.endpoints = d.endpoints;
      next.ports = d.ports;
      writes.push(this.client.update(R.endpointslices, namespace, next).then((u) => this.tracker.wrote(key, u)));
    }
    for (const s of unused) {
      writes.push(this.client.deleteIfExists(R.endpointslices, namespace, s.metadata.name!, { preconditions: { uid: s.metadata.uid } }).then(() => this.tracker.deleted(key, s.metadata.name!)));
    }
    const results = await Promise.allSettled(writes);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      const e: unknown = failed.reason;
      if (this.recorder && !(e instanceof StatusError && e.code === 409)) {
        const message = `Error updating Endpoint Slices for Service ${namespace}/${name}: ${e instanceof Error ? e.message : String(e)}`;
        void this.recorder.record({ regarding: svc, type: 'Warning', reason: 'FailedToUpdateEndpointSlices', message }).catch(() => undefined);
      }
      throw e;
    }
  }

  private async create(svc: KubeObject, d: DesiredSlice, labels: Record<string, string>, trigger: string | undefined): Promise<KubeObject | undefined> {
    const slice: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        generateName: `${svc.metadata.name}-`,
        namespace: svc.metadata.namespace,
        labels,
        ...(trigger ? { annotations: { [TRIGGER_TIME_ANNOTATION]: trigger } } : {}),
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      addressType: 'IPv4',
      endpoints: d.endpoints,
      ports: d.ports,
    };
    try {
      return await this.client.create(R.endpointslices, svc.metadata.namespace, slice);
    } catch (e) {
      if (e instanceof StatusError && (e.code === 403 || e.code === 404)) return undefined;
      throw e;
    }
  }
}

export const endpointSliceController: ControllerDefinition = {
  name: 'endpointslice',
  start(ctx: ControllerContext): RunningController {
    const services = ctx.informers.informerFor(R.services);
    const pods = ctx.informers.informerFor(R.pods);
    const slices = ctx.informers.informerFor(R.endpointslices, {
      indexers: {
        [SERVICE_INDEX]: (s) => {
          const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
          return svc ? [`${s.metadata.namespace}/${svc}`] : [];
        },
      },
    });
    const queue = new RateLimitingQueue<string>({ name: 'endpoint_slice', clock: ctx.clock });
    wireServiceQueue(queue, services, pods);
    const requeue = (s: KubeObject) => {
      const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svc && managedBy(s)) queue.add(`${s.metadata.namespace}/${svc}`);
    };
    slices.addEventHandler({ onUpdate: (_o, s) => requeue(s), onDelete: (s) => requeue(s) });
    const controller = new EndpointSliceController(ctx.client, services, pods, slices, ctx.events('endpoint-slice-controller'));
    return runningController(queueWorkers(queue, 5, (k) => controller.sync(k), logSyncErrors(ctx, 'endpointslice-controller', (e) => e instanceof StaleCacheError || isConflict(e))));
  },
};

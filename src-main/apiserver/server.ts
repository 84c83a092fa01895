/**
 * Assembles an API server over a store: kinds, admission chain (namespace lifecycle, Service IP and
 * port allocation), OpenAPI, field validation. Used by cluster-start and by tests, so both run the
 * same pipeline.
 */
import type { Store } from '../storage/types';
import { Registry } from '../api/registry';
import type { ServerContext } from './context';
import { createApiHandler } from './handler';
import type { ApiHandler } from './types';
import { namespaceLifecycle } from './admission/namespace-lifecycle';
import { ServiceAllocator, serviceAllocation } from './admission/service-ips';
import { priorityAdmission } from './admission/priority';
import { defaultTolerationSeconds } from './admission/default-toleration-seconds';
import { serviceAccountAdmission } from './admission/service-account';
import { prefixFor } from './storage-keys';
import { openapiRoutes, pruneUnknownFields, unknownFieldsOf } from './openapi';
import { KUBELET_VERSION } from '../kubelet/node-status';

function versionInfo(): ServerContext['version'] {
  const m = /^v(\d+)\.(\d+)/.exec(KUBELET_VERSION)!;
  return {
    major: m[1],
    minor: m[2],
    gitVersion: KUBELET_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-11-23T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: `${process.platform === 'win32' ? 'windows' : process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

export interface ApiServer {
  ctx: ServerContext;
  handler: ApiHandler;
  /** Closes every watch and stops the allocator's store watch (the store stays open). */
  close(): void;
}

export function createApiServer(store: Store, opts: { now?: () => Date } = {}): ApiServer {
  const registry = new Registry();
  const alloc = new ServiceAllocator();
  const servicesDef = registry.get('', 'v1', 'services')!;
  const prefix = prefixFor(servicesDef, '');
  alloc.load(store.list(prefix).items.map((s) => s.object));
  // Deleted Services give their IP and node ports back, however they were removed.
  const w = store.watch(prefix, { fromRevision: store.currentRevision() }, (ev) => {
    if (ev.type === 'DELETED') alloc.releaseDeleted(ev.prev ?? ev.object);
  });
  const ctx: ServerContext = {
    store,
    registry,
    admission: [namespaceLifecycle, serviceAccountAdmission, priorityAdmission, defaultTolerationSeconds, serviceAllocation(alloc)],
    now: opts.now ?? (() => new Date()),
    version: versionInfo(),
    openapi: openapiRoutes,
    unknownFields: unknownFieldsOf,
    pruneUnknownFields,
    watches: new Set(),
  };
  return {
    ctx,
    handler: createApiHandler(ctx),
    close() {
      for (const watch of [...ctx.watches]) watch.close();
      w.stop();
    },
  };
}

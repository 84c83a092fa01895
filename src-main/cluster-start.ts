/**
 * Builds and starts one cluster (see cluster.ts for the contract): store → API handler →
 * bootstrap objects → HTTPS listener → node heartbeats → UI gateway.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, ClusterOptions } from './cluster';
import { SqliteStore } from './storage/sqlite-store';
import { Registry } from './api/registry';
import type { ServerContext } from './apiserver/context';
import { createApiHandler } from './apiserver/handler';
import { listenApi } from './apiserver/http';
import { namespaceLifecycle } from './apiserver/admission/namespace-lifecycle';
import { ServiceAllocator, serviceAllocation } from './apiserver/admission/service-ips';
import { prefixFor } from './apiserver/storage-keys';
import { KubeClient } from './client';
import { bootstrapObjects } from './bootstrap/objects';
import { NodeHeartbeat } from './kubelet/node-heartbeat';
import { loadOrCreatePki } from './pki';
import { startUiGateway } from './gateway';
import { openapiRoutes, unknownFieldsOf } from './apiserver/openapi';
import { startSystemControllers } from './controllers/system';
import type { UserInfo } from './api/types';
import { KUBELET_VERSION } from './kubelet/node-status';

const ADMIN: UserInfo = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const SYSTEM: UserInfo = { name: 'system:apiserver', groups: ['system:masters'] };
const COMPACT_INTERVAL_MS = 60_000;

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

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const log = opts.log ?? (() => {});
  mkdirSync(opts.dataDir, { recursive: true });
  const store = SqliteStore.open({ path: join(opts.dataDir, 'kubesim.db') });
  const stops: (() => void | Promise<void>)[] = [];
  try {
    const registry = new Registry();
    const alloc = new ServiceAllocator();
    const servicesDef = registry.get('', 'v1', 'services');
    if (servicesDef) {
      const prefix = prefixFor(servicesDef, '');
      alloc.load(store.list(prefix).items.map((s) => s.object));
      const w = store.watch(prefix, { fromRevision: store.currentRevision() }, (ev) => {
        if (ev.type === 'DELETED') alloc.releaseDeleted(ev.prev ?? ev.object);
      });
      stops.push(() => w.stop());
    }
    const ctx: ServerContext = {
      store,
      registry,
      admission: [namespaceLifecycle, serviceAllocation(alloc)],
      now: () => new Date(),
      version: versionInfo(),
      openapi: openapiRoutes,
      unknownFields: unknownFieldsOf,
      watches: new Set(),
    };
    const handler = createApiHandler(ctx);
    const system = new KubeClient(handler, SYSTEM, { userAgent: 'kube-apiserver/v1.32.0 (linux/amd64) kubernetes/kubesim' });
    const pki = await loadOrCreatePki(opts.dataDir);
    await bootstrapObjects(system);

    const api = await listenApi({
      port: opts.apiPort ?? 0,
      certPem: pki.serverCertPem,
      keyPem: pki.serverKeyPem,
      tokens: new Map([[pki.adminToken, ADMIN]]),
      handler,
      log,
    });
    stops.push(() => api.close());

    const workers = opts.nodes ?? 2;
    const names = ['kubesim-control-plane', ...Array.from({ length: workers }, (_, i) => (i === 0 ? 'kubesim-worker' : `kubesim-worker${i + 1}`))];
    const kubelet = system.as({ name: 'system:node', groups: ['system:nodes'] }, { userAgent: 'kubelet/v1.32.0 (linux/amd64) kubernetes/kubesim' });
    const beats = names.map((name, index) => new NodeHeartbeat(kubelet, { name, index, controlPlane: index === 0 }));
    await Promise.all(beats.map((b) => b.register()));
    for (const b of beats) {
      b.start((e) => log(`node ${b.id.name}: heartbeat failed: ${e instanceof Error ? e.message : String(e)}`));
      stops.push(() => b.stop());
    }

    const controllers = await startSystemControllers({ handler, registry, caCertPem: pki.caCertPem, log });
    stops.push(() => controllers.stop());

    const gateway = await startUiGateway({ port: opts.uiPort ?? 0, handler, user: ADMIN, rendererDir: opts.rendererDir, log });
    stops.push(() => gateway.close());

    const compactor = setInterval(() => {
      try {
        store.compact();
      } catch (e) {
        log(`storage: compaction failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }, COMPACT_INTERVAL_MS);
    compactor.unref();
    stops.push(() => clearInterval(compactor));

    let stopped: Promise<void> | undefined;
    return {
      apiUrl: api.url,
      uiUrl: gateway.url,
      token: pki.adminToken,
      caCertPem: pki.caCertPem,
      handler,
      stop: () => {
        stopped ??= (async () => {
          for (const w of [...ctx.watches]) w.close();
          for (const s of stops.reverse()) await s();
          store.close();
        })();
        return stopped;
      },
    };
  } catch (e) {
    for (const s of stops.reverse()) await s();
    store.close();
    throw e;
  }
}

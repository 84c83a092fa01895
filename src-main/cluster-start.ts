/**
 * Builds and starts one cluster (see cluster.ts for the contract): store → API handler →
 * bootstrap objects → HTTPS listener → kubelets (nodes, heartbeats, pods) → controllers →
 * scheduler → UI gateway. Everything that waits runs on one cluster clock.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, ClusterOptions } from './cluster';
import { SqliteStore } from './storage/sqlite-store';
import { listenApi } from './apiserver/http';
import { createStreamingUpgrades } from './apiserver/streaming/upgrade';
import { createApiServer } from './apiserver/server';
import { KubeClient, SharedInformerFactory, scaledClock } from './client';
import { bootstrapObjects } from './bootstrap/objects';
import { startNodes } from './kubelet/nodes';
import { NodeConnectionRegistry } from './apiserver/node-connections';
import { HostFs, createContainerRuntime, createEmptyDir, hostFsUnder } from './runtime';
import { loadOrCreatePki } from './pki';
import { startUiGateway } from './gateway';
import { startSystemControllers } from './controllers/system';
import { startScheduler } from './scheduler';
import { MetricsServer } from './metrics/server';
import { startNetwork } from './network/start';
import { startClusterDnsZone } from './network/dns';
import type { UserInfo } from './api/types';

const ADMIN: UserInfo = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const SYSTEM: UserInfo = { name: 'system:apiserver', groups: ['system:masters'] };
const COMPACT_INTERVAL_MS = 60_000;

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const log = opts.log ?? (() => {});
  mkdirSync(opts.dataDir, { recursive: true });
  const store = SqliteStore.open({ path: join(opts.dataDir, 'kubesim.db') });
  const stops: (() => void | Promise<void>)[] = [];
  try {
    const server = createApiServer(store);
    stops.push(() => server.close());
    const { ctx, handler } = server;
    const registry = ctx.registry;
    const system = new KubeClient(handler, SYSTEM, { userAgent: 'kube-apiserver/v1.32.0 (linux/amd64) kubernetes/kubesim' });
    const pki = await loadOrCreatePki(opts.dataDir);
    await bootstrapObjects(system);

    const api = await listenApi({
      port: opts.apiPort ?? 0,
      certPem: pki.serverCertPem,
      keyPem: pki.serverKeyPem,
      tokens: new Map([[pki.adminToken, ADMIN]]),
      handler,
      // exec / attach / port-forward upgrades (WebSocket and SPDY), served from ctx.nodes
      upgrade: createStreamingUpgrades(ctx),
      log,
    });
    stops.push(() => api.close());

    // The cluster clock: kubelets (pulls, back-offs, grace periods, sleeps in containers) and controllers.
    const clock = scaledClock(opts.timeScale ?? 1);
    const connections = new NodeConnectionRegistry();
    ctx.nodes = connections;

    // Cluster network (src-main/network): pod namespaces, the service proxy (kube-proxy) and the
    // 127.0.0.1 NodePort/LoadBalancer listeners; the API server dials pods/services from the control plane.
    const dataPlane = await startNetwork({ handler, clock, log });
    stops.push(() => dataPlane.stop());
    ctx.dialer = dataPlane.dialer;

    // Cluster DNS (src-main/network/dns): the zone CoreDNS's kubernetes plugin serves, kept from
    // informers; every container gets it and the CoreDNS pods (kube-system/coredns) answer from it.
    const dnsInformers = new SharedInformerFactory(
      new KubeClient(handler, { name: 'system:serviceaccount:kube-system:coredns', groups: ['system:masters', 'system:authenticated'] }, { userAgent: 'coredns/v1.11.3 (linux/amd64) kubernetes/kubesim' }),
      { clock, log },
    );
    const clusterDns = startClusterDnsZone(dnsInformers, { now: () => clock.now(), start: true });
    stops.push(async () => {
      clusterDns.stop();
      await dnsInformers.stop();
    });

    const nodes = await startNodes({
      client: system,
      workers: opts.nodes ?? 2,
      runtime: createContainerRuntime(),
      volumeFactory: {
        emptyDir: () => createEmptyDir(() => clock.now()),
        persistentDir: (path) => hostFsUnder(join(opts.dataDir, 'volumes'), path, () => clock.now()),
        // hostPath volumes: each node's own disk under <dataDir>/nodes/<node>/hostpath
        nodeRoot: (node) => new HostFs(join(opts.dataDir, 'nodes', node, 'hostpath'), () => clock.now()),
      },
      clock,
      dataDir: opts.dataDir,
      fast: opts.fast === true,
      log,
      register: (name, kubelet) => connections.register(name, kubelet),
      network: dataPlane.network,
      clusterDns: clusterDns.zone,
    });
    stops.push(() => nodes.stop());

    // metrics-server (metrics.k8s.io, `kubectl top`): scrapes every kubelet's usage each 15 s of cluster time
    const metricsServer = new MetricsServer({ nodes: connections, clock, log });
    metricsServer.start();
    ctx.metrics = metricsServer;
    stops.push(() => metricsServer.stop());

    const controllers = await startSystemControllers({ handler, registry, caCertPem: pki.caCertPem, log, clock, dataDir: opts.dataDir });
    stops.push(() => controllers.stop());
    const scheduler = await startScheduler({ handler, clock, log });
    stops.push(() => scheduler.stop());

    // UI gateway (src-main/gateway): the renderer and its API requests as ADMIN; its exec/attach/
    // port-forward WebSockets (session cookie, Host and Origin checked there) go to the same
    // streaming upgrade handler as the HTTPS listener's.
    const gateway = await startUiGateway({ port: opts.uiPort ?? 0, handler, user: ADMIN, rendererDir: opts.rendererDir, log, upgrade: createStreamingUpgrades(ctx), hostTerminal: opts.hostTerminal });
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

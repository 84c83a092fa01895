/**
 * The scheduler benchmark's work, bundled by bench/scheduler.mjs: an API server over SQLite on a
 * temp file, N nodes and P pending pods created through the in-process API, then the scheduler
 * (its own client and informers, as in `kubesim serve`) started and timed until every pod is
 * bound (spec.nodeName set, seen through a watch like any client).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { SqliteStore } from '../src-main/storage/sqlite-store';
import { createApiServer } from '../src-main/apiserver/server';
import { KubeClient, R } from '../src-main/client';
import { nodeObject, nodeStatus } from '../src-main/kubelet/node-status';
import { startScheduler } from '../src-main/scheduler';

const ADMIN = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

export interface SchedulerBenchOptions {
  dir: string;
  nodes: number;
  pods: number;
  log?: (line: string) => void;
}

export async function run(o: SchedulerBenchOptions): Promise<Record<string, number>> {
  const log = o.log ?? (() => {});
  const store = SqliteStore.open({ path: join(o.dir, 'kubesim.db') });
  const server = createApiServer(store);
  const client = new KubeClient(server.handler, ADMIN, { fieldManager: 'bench' });
  try {
    await client.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (let i = 0; i < o.nodes; i++) {
      const id = { name: `node-${String(i).padStart(3, '0')}`, index: i + 1, controlPlane: false };
      const n = await client.create(R.nodes, undefined, nodeObject(id));
      await client.updateStatus(R.nodes, undefined, { ...n, status: nodeStatus(id, now, now) });
    }
    const t0 = performance.now();
    for (let i = 0; i < o.pods; i++) {
      await client.create(R.pods, 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `pod-${i}`,
          labels: { app: `app-${i % 50}` },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${i % 50}`, uid: `rs-uid-${i % 50}`, controller: true }],
        },
        spec: { containers: [{ name: 'c', image: 'nginx:1.25', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      });
    }
    log(`created ${o.nodes} nodes and ${o.pods} pending pods in ${Math.round(performance.now() - t0)} ms`);

    // Count bindings as a client sees them: a watch on pods, MODIFIED with spec.nodeName.
    const list = await client.list(R.pods, 'default', { limit: 1 });
    const watch = await client.watch(R.pods, 'default', { resourceVersion: list.metadata.resourceVersion });
    const boundPods = new Set<string>();
    let resolveAll!: () => void;
    const allBound = new Promise<void>((r) => (resolveAll = r));
    watch.onEvent((ev) => {
      if (ev.type !== 'MODIFIED') return;
      const spec = ev.object.spec as { nodeName?: string } | undefined;
      if (!spec?.nodeName) return;
      boundPods.add(ev.object.metadata.name ?? '');
      if (boundPods.size === o.pods) resolveAll();
    });

    // KUBESIM_BENCH_PROFILE=file.cpuprofile: a CPU profile of the timed part only.
    const profileTo = process.env.KUBESIM_BENCH_PROFILE;
    const session = profileTo ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    // And the Scheduled events, which the scheduler writes behind the bindings.
    const evList = await client.list(R.events, 'default', { limit: 1 });
    const evWatch = await client.watch(R.events, 'default', { resourceVersion: evList.metadata.resourceVersion });
    let scheduledEvents = 0;
    let resolveEvents!: () => void;
    const allEvents = new Promise<void>((r) => (resolveEvents = r));
    evWatch.onEvent((ev) => {
      if (ev.type === 'ADDED' && (ev.object as { reason?: string }).reason === 'Scheduled' && ++scheduledEvents === o.pods) resolveEvents();
    });

    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const sched = await startScheduler({ handler: server.handler, log });
    await allBound;
    const seconds = (performance.now() - t1) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (session && profileTo) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(profileTo, JSON.stringify(profile));
      session.disconnect();
    }
    await allEvents;
    const eventSeconds = (performance.now() - t1) / 1000;
    const cpuWithEvents = process.cpuUsage(cpu0);
    evWatch.close();
    watch.close();
    await sched.stop();

    // Spread: how many pods the fullest and emptiest node got.
    const perNode = new Map<string, number>();
    for (const p of (await client.list(R.pods, 'default')).items) {
      const n = (p.spec as { nodeName?: string }).nodeName ?? '';
      perNode.set(n, (perNode.get(n) ?? 0) + 1);
    }
    const counts = [...perNode.values()];
    log(`bound ${o.pods} pods in ${seconds.toFixed(2)} s (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s); pods per node ${Math.min(...counts)}..${Math.max(...counts)}`);
    log(`all ${o.pods} Scheduled events written after ${eventSeconds.toFixed(2)} s (cpu ${((cpuWithEvents.user + cpuWithEvents.system) / 1e6).toFixed(2)} s)`);
    return {
      scheduler_pods_per_s: Math.round(o.pods / seconds),
      scheduler_seconds: Math.round(seconds * 100) / 100,
      scheduler_with_events_s: Math.round(eventSeconds * 100) / 100,
      scheduler_min_pods_per_node: Math.min(...counts),
      scheduler_max_pods_per_node: Math.max(...counts),
    };
  } finally {
    server.close();
    store.close();
  }
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../src-main/client';
import { Node } from './harness';

let node: Node;
afterEach(async () => {
  await node?.stop();
});

describe('kubelet: graceful termination', () => {
  it('delete: Killing, SIGTERM, terminal status, then the API deletion; logs and IP released', async () => {
    node = await new Node(true).start();
    const pod = await node.createPod('web', [{ name: 'web', command: ['sleep-forever'] }]);
    const logDir = join(node.dataDir, 'pods', `default_web_${pod.metadata.uid}`);
    expect(existsSync(join(logDir, 'web', '0.log'))).toBe(true);
    const seen: any[] = [];
    const w = await node.admin.watch(R.pods, 'default', { resourceVersion: (await node.pod('web')).metadata.resourceVersion });
    w.onEvent((e) => seen.push(e));
    await node.admin.delete(R.pods, 'default', 'web');
    await node.settle();
    expect(await node.tryPod('web')).toBeUndefined();
    expect(node.runtime.signals.map((s) => s.sig)).toEqual(['SIGTERM']);
    expect(await node.events('web')).toContain('Killing: Stopping container web');
    // The last status before the deletion: terminal phase, container terminated by SIGTERM (143).
    const last = seen.filter((e) => e.type === 'MODIFIED').at(-1).object;
    expect(last.status.phase).toBe('Failed');
    expect(last.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
    expect(seen.at(-1).type).toBe('DELETED');
    expect(existsSync(logDir)).toBe(false);
    expect(node.kubelet.ips.size()).toBe(0);
    expect(node.kubelet.podCount).toBe(0);
    w.close();
  });

  it('a container that ignores SIGTERM is killed after terminationGracePeriodSeconds', async () => {
    node = await new Node(true).start();
    await node.createPod('stubborn', [{ name: 'app', command: ['ignore-term'] }], { terminationGracePeriodSeconds: 5 });
    await node.admin.delete(R.pods, 'default', 'stubborn');
    await node.settle();
    expect((await node.pod('stubborn')).metadata.deletionTimestamp).toBeDefined();
    await node.advance(4000);
    expect(await node.tryPod('stubborn')).toBeDefined();
    expect(node.runtime.signals.map((s) => s.sig)).toEqual(['SIGTERM']);
    await node.advance(1000);
    expect(node.runtime.signals.map((s) => s.sig)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(await node.tryPod('stubborn')).toBeUndefined();
  });

  it('a second delete with a shorter grace period brings the SIGKILL forward', async () => {
    node = await new Node(true).start();
    await node.createPod('slow', [{ name: 'app', command: ['ignore-term'] }], { terminationGracePeriodSeconds: 60 });
    await node.admin.delete(R.pods, 'default', 'slow');
    await node.settle();
    await node.advance(2000);
    await node.admin.delete(R.pods, 'default', 'slow', { gracePeriodSeconds: 1 });
    await node.settle();
    await node.advance(1000);
    expect(await node.tryPod('slow')).toBeUndefined();
  });

  it('preStop sleep runs before SIGTERM', async () => {
    node = await new Node(true).start();
    await node.createPod('hook', [{ name: 'app', command: ['sleep-forever'], lifecycle: { preStop: { sleep: { seconds: 3 } } } }]);
    await node.admin.delete(R.pods, 'default', 'hook');
    await node.settle();
    await node.advance(2000);
    expect(node.runtime.signals).toHaveLength(0);
    await node.advance(1000);
    expect(node.runtime.signals.map((s) => s.sig)).toEqual(['SIGTERM']);
    expect(await node.tryPod('hook')).toBeUndefined();
  });

  it('a force delete (grace 0) kills at once and cleans up', async () => {
    node = await new Node(true).start();
    await node.createPod('gone', [{ name: 'app', command: ['ignore-term'] }]);
    await node.admin.delete(R.pods, 'default', 'gone', { gracePeriodSeconds: 0 });
    await node.settle();
    expect(node.runtime.signals.map((s) => s.sig)).toEqual(['SIGKILL']);
    expect(node.kubelet.podCount).toBe(0);
  });

  it('a pod in CrashLoopBackOff is deleted at once (nothing running)', async () => {
    node = await new Node(true).start();
    await node.createPod('crash', [{ name: 'app', command: ['exit', '1'] }]);
    await node.admin.delete(R.pods, 'default', 'crash');
    await node.settle();
    expect(await node.tryPod('crash')).toBeUndefined();
    await node.advance(30_000, 10_000);
    expect(node.runtime.started).toHaveLength(2);
  });
});

describe('kubelet: a node that restarts (kubesim serve stopped and started again)', () => {
  it('picks its pods up again: containers restarted with restartCount+1, lastState Unknown/255, same IP, old logs for --previous', async () => {
    node = await new Node(true).start();
    await node.createPod('web', [{ name: 'app', command: ['tick', '1000'] }]);
    await node.advance(2000);
    const before = await node.status('web');
    await node.kubelet.stop();
    node.runtime.started.length = 0;
    await node.advance(5000);
    // A new kubelet process for the same node, data dir and API.
    const { Kubelet } = await import('../../../src-main/kubelet/kubelet');
    node.kubelet = new Kubelet({ client: node.nodeClient, node: { name: 'kubesim-worker', index: 1, controlPlane: false }, runtime: node.runtime, clock: node.clock, dataDir: node.dataDir, fast: true });
    node.connections.register('kubesim-worker', node.kubelet);
    await node.kubelet.start();
    await node.settle();
    const st = await node.status('web');
    expect(st.podIP).toBe(before.podIP);
    expect(st.startTime).toBe(before.startTime);
    expect(st.containerStatuses[0].restartCount).toBe(1);
    expect(st.containerStatuses[0].state.running).toBeDefined();
    expect(st.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 255, reason: 'Unknown' });
    expect(node.runtime.started).toHaveLength(1);
    expect(await node.events('web')).toEqual(expect.arrayContaining(['SandboxChanged: Pod sandbox changed, it will be killed and re-created.', 'Pulled: Container image "busybox:1.36" already present on machine', 'Created: Created container app (x2)', 'Started: Started container app (x2)']));
    expect((await node.podLog('web', { previous: 'true' })).text).toBe('tick 1\ntick 2\n');
  });
});

describe('kubelet: preStop exec hook', () => {
  it('runs in the container before SIGTERM; a failing hook is a FailedPreStopHook event', async () => {
    node = await new Node(true).start();
    node.runtime.execOk = false;
    await node.createPod('hooked', [{ name: 'app', command: ['sleep-forever'], lifecycle: { preStop: { exec: { command: ['check'] } } } }]);
    await node.admin.delete(R.pods, 'default', 'hooked');
    await node.settle();
    expect(node.runtime.signals.map((s) => s.sig)).toEqual(['SIGTERM']);
    expect(await node.tryPod('hooked')).toBeUndefined();
    expect((await node.events('hooked')).some((e) => e.startsWith('FailedPreStopHook: Exec lifecycle hook (["check"]) for Container "app" in Pod "hooked_default('))).toBe(true);
  });
});

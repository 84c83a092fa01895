import { afterEach, describe, expect, it } from 'vitest';
import { Node, T0, rfc3339 } from './harness';

let node: Node;
afterEach(async () => {
  await node?.stop();
});

function brief(st: Record<string, any>, i = 0): string {
  const c = st.containerStatuses[i];
  const [kind, s] = Object.entries(c.state)[0] as [string, any];
  return `${st.phase} ${kind}:${s.reason ?? ''} restarts=${c.restartCount}${c.lastState.terminated ? ` last=${c.lastState.terminated.exitCode}/${c.lastState.terminated.reason}` : ''}`;
}

describe('kubelet: restarts and the crash-loop back-off', () => {
  it('restartPolicy Always: restart at once, then back-off 10s, 20s, 40s … with upstream messages and events', async () => {
    node = await new Node(true).start();
    const pod = await node.createPod('crash', [{ name: 'app', command: ['exit', '1'] }]);
    const who = `crash_default(${pod.metadata.uid})`;
    let st = await node.status('crash');
    expect(brief(st)).toBe('Running waiting:CrashLoopBackOff restarts=1 last=1/Error');
    expect(st.containerStatuses[0].state.waiting.message).toBe(`back-off 10s restarting failed container=app pod=${who}`);
    expect(st.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error', startedAt: rfc3339(T0), finishedAt: rfc3339(T0) });
    expect(st.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });

    await node.advance(9000);
    expect(brief(await node.status('crash'))).toBe('Running waiting:CrashLoopBackOff restarts=1 last=1/Error');
    await node.advance(1000);
    st = await node.status('crash');
    expect(brief(st)).toBe('Running waiting:CrashLoopBackOff restarts=2 last=1/Error');
    expect(st.containerStatuses[0].state.waiting.message).toBe(`back-off 20s restarting failed container=app pod=${who}`);
    await node.advance(19000);
    expect((await node.status('crash')).containerStatuses[0].restartCount).toBe(2);
    await node.advance(1000);
    st = await node.status('crash');
    expect(st.containerStatuses[0].restartCount).toBe(3);
    expect(st.containerStatuses[0].state.waiting.message).toBe(`back-off 40s restarting failed container=app pod=${who}`);
    const events = await node.events('crash');
    expect(events).toContain(`BackOff: Back-off restarting failed container app in pod ${who} (x3)`);
    expect(events.filter((e) => e.startsWith('Started'))).toEqual(['Started: Started container app (x4)']);
  });

  it('the back-off is capped at 5m0s', async () => {
    node = await new Node(true).start();
    await node.createPod('crash', [{ name: 'app', command: ['exit', '2'] }]);
    await node.advance(10_000 + 20_000 + 40_000 + 80_000 + 160_000 + 300_000, 10_000);
    const st = await node.status('crash');
    expect(st.containerStatuses[0].restartCount).toBe(7);
    expect(st.containerStatuses[0].state.waiting.message).toMatch(/^back-off 5m0s restarting failed container=app /);
  });

  it('a container that ran more than 10 minutes restarts at once (the back-off entry expired)', async () => {
    node = await new Node(true).start();
    await node.createPod('long', [{ name: 'app', command: ['run-for', '700000', '1'] }]);
    await node.advance(700_000, 50_000);
    expect(brief(await node.status('long'))).toBe('Running running: restarts=1 last=1/Error');
    await node.advance(700_000, 50_000);
    expect(brief(await node.status('long'))).toBe('Running running: restarts=2 last=1/Error');
    // A short-lived one would be backing off by now.
    await node.createPod('short', [{ name: 'app', command: ['run-for', '5000', '1'] }]);
    await node.advance(10_000);
    expect(brief(await node.status('short'))).toBe('Running waiting:CrashLoopBackOff restarts=1 last=1/Error');
  });

  it('restartPolicy Never: Failed with the container terminated, no restart', async () => {
    node = await new Node(true).start();
    await node.createPod('once', [{ name: 'app', command: ['print-exit', '3', 'bye'] }], { restartPolicy: 'Never' });
    await node.advance(60_000, 10_000);
    const st = await node.status('once');
    expect(brief(st)).toBe('Failed terminated:Error restarts=0');
    expect(st.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(st.conditions.map((c: any) => `${c.type}=${c.status}${c.reason ? `/${c.reason}` : ''}`)).toEqual([
      'PodReadyToStartContainers=False',
      'Initialized=True',
      'Ready=False/ContainersNotReady',
      'ContainersReady=False/ContainersNotReady',
      'PodScheduled=True',
    ]);
    expect(node.runtime.started).toHaveLength(1);
    expect(node.kubelet.ips.size()).toBe(0);
  });

  it('restartPolicy Never/OnFailure with exit 0: Succeeded, Ready False with PodCompleted', async () => {
    node = await new Node(true).start();
    await node.createPod('ok', [{ name: 'app', command: ['echo', 'done'] }], { restartPolicy: 'OnFailure' });
    const st = await node.status('ok');
    expect(brief(st)).toBe('Succeeded terminated:Completed restarts=0');
    expect(st.conditions.map((c: any) => `${c.type}=${c.status}${c.reason ? `/${c.reason}` : ''}`)).toEqual([
      'PodReadyToStartContainers=False',
      'Initialized=True',
      'Ready=False/PodCompleted',
      'ContainersReady=False/PodCompleted',
      'PodScheduled=True',
    ]);
  });

  it('restartPolicy OnFailure restarts a failed container (with back-off) until it succeeds', async () => {
    node = await new Node(true).start();
    await node.createPod('retry', [{ name: 'app', command: ['exit', '1'] }], { restartPolicy: 'OnFailure' });
    expect(brief(await node.status('retry'))).toBe('Running waiting:CrashLoopBackOff restarts=1 last=1/Error');
  });

  it('restartPolicy Always restarts a container that exited 0 too (Completed → CrashLoopBackOff)', async () => {
    node = await new Node(true).start();
    await node.createPod('done', [{ name: 'app', command: ['echo', 'hi'] }]);
    expect(brief(await node.status('done'))).toBe('Running waiting:CrashLoopBackOff restarts=1 last=0/Completed');
  });
});

describe('kubelet: init containers', () => {
  it('run one by one before the containers; statuses while initializing', async () => {
    node = await new Node(true).start();
    await node.createPod('init', [{ name: 'app', command: ['sleep-forever'] }], {
      initContainers: [
        { name: 'first', image: 'busybox:1.36', command: ['run-for', '5000'] },
        { name: 'second', image: 'busybox:1.36', command: ['echo', 'second'] },
      ],
    });
    let st = await node.status('init');
    expect(st.phase).toBe('Pending');
    expect(st.initContainerStatuses.map((c: any) => Object.keys(c.state)[0] + ':' + (c.state.waiting?.reason ?? ''))).toEqual(['running:', 'waiting:PodInitializing']);
    expect(st.containerStatuses[0].state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(st.conditions.find((c: any) => c.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [first second]' });
    await node.advance(5000);
    st = await node.status('init');
    expect(st.phase).toBe('Running');
    expect(st.initContainerStatuses.map((c: any) => c.state.terminated?.reason)).toEqual(['Completed', 'Completed']);
    expect(st.conditions.find((c: any) => c.type === 'Initialized')).toMatchObject({ status: 'True' });
    expect(st.containerStatuses[0].state.running).toBeDefined();
    expect(node.runtime.started.map((c) => c.name)).toEqual(['first', 'second', 'app']);
  });

  it('a failing init container with restartPolicy Never fails the pod; with Always it crash-loops', async () => {
    node = await new Node(true).start();
    await node.createPod('never', [{ name: 'app', command: ['sleep-forever'] }], { restartPolicy: 'Never', initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['exit', '1'] }] });
    let st = await node.status('never');
    expect(st.phase).toBe('Failed');
    expect(st.initContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(st.containerStatuses[0].state).toEqual({ waiting: { reason: 'PodInitializing' } });
    await node.createPod('always', [{ name: 'app', command: ['sleep-forever'] }], { initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['exit', '1'] }] });
    st = await node.status('always');
    expect(st.phase).toBe('Pending');
    expect(st.initContainerStatuses[0].state.waiting.reason).toBe('CrashLoopBackOff');
    expect(st.initContainerStatuses[0].restartCount).toBe(1);
  });
});

describe('kubelet: activeDeadlineSeconds', () => {
  it('past the deadline the containers are stopped and the pod Failed with DeadlineExceeded', async () => {
    node = await new Node(true).start();
    await node.createPod('late', [{ name: 'app', command: ['sleep-forever'] }], { activeDeadlineSeconds: 30, restartPolicy: 'Never' });
    await node.advance(29_000, 10_000);
    expect((await node.status('late')).phase).toBe('Running');
    await node.advance(1000);
    const st = await node.status('late');
    expect([st.phase, st.reason, st.message]).toEqual(['Failed', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline']);
    expect(st.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
    expect(await node.events('late')).toEqual(expect.arrayContaining(['DeadlineExceeded: Pod was active on the node longer than the specified deadline', 'Killing: Stopping container app']));
  });
});

describe('kubelet: sidecar init containers (restartPolicy Always)', () => {
  it('start before the containers and keep running; the pod is Running and Ready with both', async () => {
    node = await new Node(true).start();
    await node.createPod('side', [{ name: 'app', command: ['sleep-forever'] }], { initContainers: [{ name: 'proxy', image: 'busybox:1.36', restartPolicy: 'Always', command: ['sleep-forever'] }] });
    const st = await node.status('side');
    expect(st.phase).toBe('Running');
    expect(st.initContainerStatuses[0]).toMatchObject({ name: 'proxy', ready: true, started: true, state: { running: {} } });
    expect(st.containerStatuses[0]).toMatchObject({ name: 'app', ready: true, state: { running: {} } });
    expect(st.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
    expect(node.runtime.started.map((c) => c.name)).toEqual(['proxy', 'app']);
  });
});

describe('kubelet: a program that cannot start', () => {
  it('StartError: Failed with the runtime message instead of Started, then the crash-loop back-off', async () => {
    node = await new Node(true).start();
    await node.createPod('nope', [{ name: 'app', command: ['no-such-program'] }]);
    const st = await node.status('nope');
    expect(st.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 128, reason: 'StartError', message: 'failed to create containerd task: exec: "no-such-program": executable file not found in $PATH' });
    expect(st.containerStatuses[0].state.waiting.reason).toBe('CrashLoopBackOff');
    const events = await node.events('nope');
    expect(events).toContain('Failed: Error: failed to create containerd task: exec: "no-such-program": executable file not found in $PATH (x2)');
    expect(events.some((e) => e.startsWith('Started'))).toBe(false);
  });
});

describe('kubelet: terminationMessagePolicy', () => {
  it('FallbackToLogsOnError: a failed container\'s message is the end of its log', async () => {
    node = await new Node(true).start();
    await node.createPod('msg', [{ name: 'app', command: ['print-exit', '2', 'it broke'], terminationMessagePolicy: 'FallbackToLogsOnError' }], { restartPolicy: 'Never' });
    expect((await node.status('msg')).containerStatuses[0].state.terminated).toMatchObject({ exitCode: 2, reason: 'Error', message: 'it broke\n' });
    await node.createPod('plain', [{ name: 'app', command: ['print-exit', '2', 'it broke'] }], { restartPolicy: 'Never' });
    expect((await node.status('plain')).containerStatuses[0].state.terminated.message).toBeUndefined();
  });
});

describe('kubelet: a pod whose image is changed (kubectl set image pod/…)', () => {
  it('Killing "definition changed", then the new image is pulled and started (restartCount+1)', async () => {
    node = await new Node(true).start();
    await node.createPod('img', [{ name: 'app', image: 'busybox:1.36', command: ['sleep-forever'] }]);
    await node.admin.patch({ group: '', version: 'v1', resource: 'pods' }, 'default', 'img', 'strategic', { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    await node.settle();
    const st = await node.status('img');
    expect(st.containerStatuses[0]).toMatchObject({ restartCount: 1, image: 'docker.io/library/nginx:1.27', state: { running: {} }, lastState: { terminated: { exitCode: 143 } } });
    expect(await node.events('img')).toEqual(expect.arrayContaining(['Killing: Container app definition changed, will be restarted', 'Pulling: Pulling image "nginx:1.27"']));
  });

  it('a pod in ImagePullBackOff pulls the corrected image at once', async () => {
    node = await new Node(true).start();
    await node.createPod('fix', [{ name: 'app', image: 'busybox:nope', command: ['sleep-forever'] }]);
    await node.advance(1000);
    expect((await node.status('fix')).containerStatuses[0].state.waiting.reason).toBe('ImagePullBackOff');
    await node.admin.patch({ group: '', version: 'v1', resource: 'pods' }, 'default', 'fix', 'strategic', { spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] } });
    await node.settle();
    expect((await node.status('fix')).containerStatuses[0]).toMatchObject({ restartCount: 0, state: { running: {} } });
  });
});

describe('kubelet: container status order', () => {
  it('containerStatuses sorted by name (SortedContainerStatuses), init containers in spec order', async () => {
    node = await new Node(true).start();
    await node.createPod('order', [{ name: 'zeta', command: ['sleep-forever'] }, { name: 'alpha', command: ['sleep-forever'] }], { initContainers: [{ name: 'z-init', image: 'busybox:1.36', command: ['echo', 'z'] }, { name: 'a-init', image: 'busybox:1.36', command: ['echo', 'a'] }] });
    const st = await node.status('order');
    expect(st.containerStatuses.map((c: any) => c.name)).toEqual(['alpha', 'zeta']);
    expect(st.initContainerStatuses.map((c: any) => c.name)).toEqual(['z-init', 'a-init']);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { Node, T0, rfc3339 } from './harness';

let node: Node;
afterEach(async () => {
  await node?.stop();
});

describe('kubelet: a pod from ContainerCreating to Running', () => {
  it('pulls (1.2 s), creates, starts, and reports the upstream status object', async () => {
    node = await new Node(false).start();
    const pod = await node.createPod('web', [{ name: 'web', image: 'luksa/kubia:1.0', command: ['sleep-forever'] }]);
    const uid = pod.metadata.uid!;

    const pending = await node.status('web');
    expect(pending.phase).toBe('Pending');
    expect(pending.podIP).toBe('10.244.1.2');
    expect(pending.hostIP).toBe('172.18.0.3');
    expect(pending.containerStatuses).toEqual([
      { name: 'web', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: 'luksa/kubia:1.0', imageID: '', started: false },
    ]);
    expect(pending.conditions.map((c: any) => [c.type, c.status, c.reason ?? '', c.message ?? ''])).toEqual([
      ['PodReadyToStartContainers', 'True', '', ''],
      ['Initialized', 'True', '', ''],
      ['Ready', 'False', 'ContainersNotReady', 'containers with unready status: [web]'],
      ['ContainersReady', 'False', 'ContainersNotReady', 'containers with unready status: [web]'],
      ['PodScheduled', 'True', '', ''],
    ]);

    await node.advance(1200, 100);
    await node.advance(300, 100);
    const st = await node.status('web');
    const id = (st.containerStatuses[0].containerID as string).replace('containerd://', '');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const startedAt = rfc3339(T0 + 1200 + 150 + 60);
    expect(st).toEqual({
      phase: 'Running',
      qosClass: 'BestEffort',
      hostIP: '172.18.0.3',
      hostIPs: [{ ip: '172.18.0.3' }],
      podIP: '10.244.1.2',
      podIPs: [{ ip: '10.244.1.2' }],
      startTime: rfc3339(T0),
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(T0) },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(T0) },
        { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: startedAt },
        { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: startedAt },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(T0) },
      ],
      containerStatuses: [
        {
          name: 'web',
          state: { running: { startedAt } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: 'docker.io/luksa/kubia:1.0',
          imageID: expect.stringMatching(/^docker\.io\/luksa\/kubia@sha256:[0-9a-f]{64}$/),
          containerID: `containerd://${id}`,
          started: true,
          volumeMounts: [{ name: expect.stringMatching(/^kube-api-access-[a-z0-9]{5}$/), mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true, recursiveReadOnly: 'Disabled' }],
        },
      ],
    });
    expect(await node.events('web')).toEqual([
      'Pulling: Pulling image "luksa/kubia:1.0"',
      'Pulled: Successfully pulled image "luksa/kubia:1.0" in 1.2s (1.2s including waiting). Image size: 256381024 bytes.',
      'Created: Created container web',
      'Started: Started container web',
    ]);
    const ev = (await node.admin.list({ group: '', version: 'v1', resource: 'events' }, 'default')).items.find((e: any) => e.reason === 'Started') as any;
    expect(ev.involvedObject).toMatchObject({ kind: 'Pod', name: 'web', namespace: 'default', uid, fieldPath: 'spec.containers{web}' });
    expect(ev.source).toEqual({ component: 'kubelet', host: 'kubesim-worker' });
  });

  it('a second pod of a cached IfNotPresent image: "already present on machine"; the node lists the image', async () => {
    node = await new Node(true).start();
    await node.createPod('a', [{ name: 'c', image: 'busybox:1.36', command: ['sleep-forever'] }]);
    await node.createPod('b', [{ name: 'c', image: 'busybox:1.36', command: ['sleep-forever'] }]);
    expect(await node.events('a')).toContain('Pulled: Successfully pulled image "busybox:1.36" in 0s (0s including waiting). Image size: 2167089 bytes.');
    expect(await node.events('b')).toEqual(['Pulled: Container image "busybox:1.36" already present on machine', 'Created: Created container c', 'Started: Started container c']);
    expect((await node.status('b')).podIP).toBe('10.244.1.3');
    const n = await node.admin.get({ group: '', version: 'v1', resource: 'nodes' }, undefined, 'kubesim-worker');
    expect((n.status as any).images).toEqual([{ names: [expect.stringMatching(/^docker\.io\/library\/busybox@sha256:/), 'docker.io/library/busybox:1.36'], sizeBytes: 2167089 }]);
  });

  it('pulls of one node run one at a time: the second waits (its "including waiting" time counts the queue)', async () => {
    node = await new Node(false).start();
    await node.createPod('a', [{ name: 'c', image: 'nginx:1.27', command: ['sleep-forever'] }]);
    await node.createPod('b', [{ name: 'c', image: 'nginx:1.27', imagePullPolicy: 'Always', command: ['sleep-forever'] }]);
    await node.advance(2000, 20);
    const b = await node.events('b');
    expect(b).toContain('Pulled: Successfully pulled image "nginx:1.27" in 120ms (1.32s including waiting). Image size: 72955450 bytes.');
  });
});

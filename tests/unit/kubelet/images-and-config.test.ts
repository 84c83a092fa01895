import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../src-main/client';
import { Node } from './harness';

let node: Node;
afterEach(async () => {
  await node?.stop();
});

const NOT_FOUND = (ref: string) => `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;

function waiting(st: Record<string, any>): string {
  const w = st.containerStatuses[0].state.waiting;
  return w ? `${w.reason}: ${w.message ?? ''}` : Object.keys(st.containerStatuses[0].state)[0];
}

describe('kubelet: image pulls that fail', () => {
  it('ErrImagePull, then ImagePullBackOff, pulls retried after 10s, 20s …', async () => {
    node = await new Node(true).start();
    await node.createPod('bad', [{ name: 'app', image: 'busybox:nope' }]);
    expect(waiting(await node.status('bad'))).toBe(`ErrImagePull: ${NOT_FOUND('docker.io/library/busybox:nope')}`);
    expect(await node.events('bad')).toEqual([
      'Pulling: Pulling image "busybox:nope"',
      `Failed: Failed to pull image "busybox:nope": ${NOT_FOUND('docker.io/library/busybox:nope')}`,
      'Failed: Error: ErrImagePull',
    ]);
    await node.advance(1000);
    expect(waiting(await node.status('bad'))).toBe('ImagePullBackOff: Back-off pulling image "busybox:nope"');
    expect((await node.events('bad')).slice(3)).toEqual(['BackOff: Back-off pulling image "busybox:nope"', 'Failed: Error: ImagePullBackOff']);
    await node.advance(9000);
    expect(waiting(await node.status('bad'))).toMatch(/^ErrImagePull: /);
    await node.advance(1000);
    expect(waiting(await node.status('bad'))).toMatch(/^ImagePullBackOff: /);
    await node.advance(18_000);
    expect(waiting(await node.status('bad'))).toMatch(/^ImagePullBackOff: /);
    await node.advance(1000);
    expect(waiting(await node.status('bad'))).toMatch(/^ErrImagePull: /);
    const events = await node.events('bad');
    expect(events).toContain('Pulling: Pulling image "busybox:nope" (x3)');
    expect(events).toContain('Failed: Error: ErrImagePull (x3)');
  });

  it('imagePullPolicy Never without the image: ErrImageNeverPull', async () => {
    node = await new Node(true).start();
    await node.createPod('never', [{ name: 'app', image: 'nginx:1.27', imagePullPolicy: 'Never' }]);
    expect(waiting(await node.status('never'))).toBe('ErrImageNeverPull: Container image "nginx:1.27" is not present with pull policy of Never');
    expect(await node.events('never')).toEqual(['ErrImageNeverPull: Container image "nginx:1.27" is not present with pull policy of Never', 'Failed: Error: ErrImageNeverPull']);
  });
});

describe('kubelet: container environment', () => {
  it('a missing configMap is CreateContainerConfigError until it exists; env resolved as upstream', async () => {
    node = await new Node(true).start();
    await node.createPod('cfg', [
      {
        name: 'app',
        command: ['env'],
        env: [
          { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'settings', key: 'greeting' } } },
          { name: 'MESSAGE', value: '$(GREETING) from $(MY_POD) $$(LITERAL) $(UNKNOWN)' },
          { name: 'MY_POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password', optional: true } } },
        ],
      },
    ], { restartPolicy: 'Never' });
    expect(waiting(await node.status('cfg'))).toBe('CreateContainerConfigError: configmap "settings" not found');
    expect(await node.events('cfg')).toContain('Failed: Error: configmap "settings" not found');
    await node.admin.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { greeting: 'hello' } });
    await node.advance(10_000);
    expect((await node.status('cfg')).phase).toBe('Succeeded');
    const env = node.runtime.started[0].env.map((e) => `${e.name}=${e.value}`);
    expect(env).toEqual(['GREETING=hello', 'MESSAGE=hello from $(MY_POD) $(LITERAL) $(UNKNOWN)', 'MY_POD=cfg', 'MY_IP=10.244.1.2']);
  });

  it('a missing key is reported with upstream words', async () => {
    node = await new Node(true).start();
    await node.admin.create(R.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { user: Buffer.from('admin').toString('base64') } });
    await node.createPod('key', [{ name: 'app', command: ['env'], env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } }] }]);
    expect(waiting(await node.status('key'))).toBe("CreateContainerConfigError: couldn't find key password in Secret default/creds");
  });

  it('env: fieldRefs (pod IP, host IP, names, service account), envFrom with prefix; an image without a simulation gets the warning', async () => {
    node = await new Node(true).start();
    await node.admin.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { MODE: 'fast', LEVEL: '3' } });
    await node.createPod('e', [
      {
        name: 'app',
        image: 'acme/shop:1.2',
        command: ['env'],
        ports: [{ containerPort: 9000 }],
        envFrom: [{ prefix: 'APP_', configMapRef: { name: 'cfg' } }],
        env: [
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
          { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'URL', value: 'http://$(POD_IP):9000/$(APP_MODE)' },
        ],
      },
    ], { restartPolicy: 'Never', serviceAccountName: 'default' });
    const env = Object.fromEntries(node.runtime.started[0].env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ APP_MODE: 'fast', APP_LEVEL: '3', POD_IP: '10.244.1.2', HOST_IP: '172.18.0.3', NODE: 'kubesim-worker', SA: 'default', NAME: 'e', URL: 'http://10.244.1.2:9000/fast' });
    expect(await node.events('e')).toContain('GenericImage: kubesim has no simulation for image "acme/shop:1.2": it runs a generic responder on its declared ports (8080, 9000)');
  });
});

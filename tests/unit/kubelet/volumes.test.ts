import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../src-main/client';
import { Node } from './harness';

let node: Node;
afterEach(async () => {
  await node?.stop();
});

function files(node: Node, container = 0): Record<string, string> {
  const cfg = node.runtime.started[container];
  const out: Record<string, string> = {};
  for (const m of cfg.mounts ?? []) {
    const walk = (dir: string) => {
      for (const name of m.fs.readdir(dir)) {
        const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
        if (m.fs.stat(p)?.kind === 'dir') walk(p);
        else out[`${m.mountPath}${p}${m.readOnly ? ' (ro)' : ''}`] = m.fs.readFile(p);
      }
    };
    walk('/');
  }
  return out;
}

describe('kubelet: volumes', () => {
  it('configMap, secret, emptyDir and the service account volume are mounted', async () => {
    node = await new Node(true).start();
    await node.admin.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { 'nginx.conf': 'server {}', other: 'x' } });
    await node.admin.create(R.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { password: Buffer.from('s3cret').toString('base64') } });
    await node.createPod(
      'vols',
      [{ name: 'app', command: ['sleep-forever'], volumeMounts: [{ name: 'conf', mountPath: '/etc/nginx' }, { name: 'creds', mountPath: '/creds' }, { name: 'scratch', mountPath: '/scratch' }] }],
      { volumes: [{ name: 'conf', configMap: { name: 'web', items: [{ key: 'nginx.conf', path: 'conf.d/default.conf' }] } }, { name: 'creds', secret: { secretName: 'creds' } }, { name: 'scratch', emptyDir: {} }] },
    );
    expect((await node.status('vols')).phase).toBe('Running');
    const f = files(node);
    expect(f['/etc/nginx/conf.d/default.conf (ro)']).toBe('server {}');
    expect(f['/creds/password (ro)']).toBe('s3cret');
    expect(f['/var/run/secrets/kubernetes.io/serviceaccount/namespace (ro)']).toBe('default');
    expect(f['/var/run/secrets/kubernetes.io/serviceaccount/ca.crt (ro)']).toBe('-----BEGIN CERTIFICATE-----\n');
    const token = f['/var/run/secrets/kubernetes.io/serviceaccount/token (ro)'];
    expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub).toBe('system:serviceaccount:default:default');
    expect(node.runtime.started[0].mounts!.find((m) => m.mountPath === '/scratch')!.readOnly).toBe(false);
  });

  it('a missing configMap: FailedMount, ContainerCreating, then the pod starts once it exists', async () => {
    node = await new Node(true).start();
    await node.createPod('wait', [{ name: 'app', command: ['sleep-forever'], volumeMounts: [{ name: 'conf', mountPath: '/conf' }] }], { volumes: [{ name: 'conf', configMap: { name: 'later' } }] });
    expect((await node.status('wait')).containerStatuses[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(await node.events('wait')).toContain('FailedMount: MountVolume.SetUp failed for volume "conf" : configmap "later" not found');
    await node.admin.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' }, data: { a: '1' } });
    await node.advance(10_000);
    expect((await node.status('wait')).phase).toBe('Running');
  });

  it('emptyDir is shared by the containers of a pod; hostPath by the pods of a node', async () => {
    node = await new Node(true).start();
    await node.createPod('two', [
      { name: 'a', command: ['sleep-forever'], volumeMounts: [{ name: 'shared', mountPath: '/data' }, { name: 'host', mountPath: '/host' }] },
      { name: 'b', command: ['sleep-forever'], volumeMounts: [{ name: 'shared', mountPath: '/data' }] },
    ], { volumes: [{ name: 'shared', emptyDir: {} }, { name: 'host', hostPath: { path: '/srv/data' } }] });
    const [a, b] = node.runtime.started;
    a.mounts![0].fs.writeFile('/hello', 'from a');
    expect(b.mounts![0].fs.readFile('/hello')).toBe('from a');
    a.mounts![1].fs.writeFile('/kept', 'on the node');
    await node.createPod('other', [{ name: 'c', command: ['sleep-forever'], volumeMounts: [{ name: 'h', mountPath: '/h' }] }], { volumes: [{ name: 'h', hostPath: { path: '/srv/data' } }] });
    expect(node.runtime.started[2].mounts![0].fs.readFile('/kept')).toBe('on the node');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../src-main/client';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_NAME, Node } from './harness';
import { SubFs } from '../../../src-main/runtime';
import type { FileSystem, VolumeMount } from '../../../src-main/runtime/types';

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

  it('emptyDir is shared by the containers of a pod; hostPath by the pods of a node, on its disk', async () => {
    node = await new Node(true).start();
    await node.createPod('two', [
      { name: 'a', command: ['sleep-forever'], volumeMounts: [{ name: 'shared', mountPath: '/data' }, { name: 'host', mountPath: '/host' }] },
      { name: 'b', command: ['sleep-forever'], volumeMounts: [{ name: 'shared', mountPath: '/data' }] },
    ], { volumes: [{ name: 'shared', emptyDir: {} }, { name: 'host', hostPath: { path: '/srv/data' } }] });
    const [a, b] = node.runtime.started;
    view(a.mounts![0]).writeFile('/hello', 'from a');
    expect(view(b.mounts![0]).readFile('/hello')).toBe('from a');
    view(a.mounts![1]).writeFile('/kept', 'on the node');
    expect(readFileSync(join(node.dataDir, 'nodes', NODE_NAME, 'hostpath', 'srv', 'data', 'kept'), 'utf8')).toBe('on the node');
    await node.createPod('other', [{ name: 'c', command: ['sleep-forever'], volumeMounts: [{ name: 'h', mountPath: '/h' }] }], { volumes: [{ name: 'h', hostPath: { path: '/srv/data', type: 'Directory' } }] });
    expect(view(node.runtime.started[2].mounts![0]).readFile('/kept')).toBe('on the node');
  });

  it('hostPath types: Directory must exist (FailedMount text), DirectoryOrCreate and FileOrCreate create it, File must be a file', async () => {
    node = await new Node(true).start();
    const mount = (name: string, type: string, path: string) =>
      node.createPod(name, [{ name: 'c', command: ['sleep-forever'], volumeMounts: [{ name: 'h', mountPath: '/h' }] }], { volumes: [{ name: 'h', hostPath: { path, type } }] });
    await mount('dir', 'Directory', '/srv/missing');
    expect((await node.status('dir')).containerStatuses[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(await node.events('dir')).toContain('FailedMount: MountVolume.SetUp failed for volume "h" : hostPath type check failed: /srv/missing is not a directory');
    await mount('create', 'DirectoryOrCreate', '/srv/missing');
    expect((await node.status('create')).phase).toBe('Running');
    expect(statSync(join(node.dataDir, 'nodes', NODE_NAME, 'hostpath', 'srv', 'missing')).isDirectory()).toBe(true);
    await node.advance(10_000);
    expect((await node.status('dir')).phase).toBe('Running');
    await mount('file', 'FileOrCreate', '/srv/missing/app.log');
    expect(readFileSync(join(node.dataDir, 'nodes', NODE_NAME, 'hostpath', 'srv', 'missing', 'app.log'), 'utf8')).toBe('');
    await mount('notfile', 'File', '/srv/missing');
    expect(await node.events('notfile')).toContain('FailedMount: MountVolume.SetUp failed for volume "h" : hostPath type check failed: /srv/missing is not a file');
  });

  it('configMap and secret volumes: items, defaultMode and item modes, optional; updated in place when the object changes', async () => {
    node = await new Node(true).start();
    await node.admin.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { 'app.conf': 'v1', mode: 'fast' } });
    await node.admin.create(R.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pw' }, data: { password: Buffer.from('one').toString('base64') } });
    await node.createPod(
      'app',
      [{ name: 'app', command: ['sleep-forever'], volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }, { name: 'pw', mountPath: '/pw' }, { name: 'cfg', mountPath: '/etc/app.conf', subPath: 'app.conf' }, { name: 'opt', mountPath: '/opt' }] }],
      {
        volumes: [
          { name: 'cfg', configMap: { name: 'cfg', defaultMode: 0o440 } },
          { name: 'pw', secret: { secretName: 'pw', items: [{ key: 'password', path: 'db/password', mode: 0o400 }] } },
          { name: 'opt', configMap: { name: 'later', optional: true } },
        ],
      },
    );
    const mounts = node.runtime.started[0].mounts!;
    const at = (p: string) => view(mounts.find((m) => m.mountPath === p)!);
    expect(at('/etc/app').readFile('/app.conf')).toBe('v1');
    expect(at('/etc/app').stat('/app.conf')?.mode).toBe(0o440);
    expect(at('/pw').readFile('/db/password')).toBe('one');
    expect(at('/pw').stat('/db/password')?.mode).toBe(0o400);
    expect(at('/etc/app.conf').readFile('/')).toBe('v1');
    expect(at('/opt').readdir('/')).toEqual([]);

    await node.admin.update(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { 'app.conf': 'v2' } });
    await node.admin.update(R.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pw' }, data: { password: Buffer.from('two').toString('base64') } });
    await node.admin.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' }, data: { x: 'y' } });
    await node.settle();
    expect(at('/etc/app').readFile('/app.conf')).toBe('v2');
    expect(at('/etc/app').stat('/mode')).toBeUndefined();
    expect(at('/pw').readFile('/db/password')).toBe('two');
    expect(at('/opt').readFile('/x')).toBe('y');
    // A subPath mount is a bind mount of the old file: it keeps the content it started with.
    expect(at('/etc/app.conf').readFile('/')).toBe('v1');
    // A missing item key: upstream's FailedMount text.
    await node.createPod('bad', [{ name: 'c', command: ['sleep-forever'], volumeMounts: [{ name: 'v', mountPath: '/v' }] }], { volumes: [{ name: 'v', configMap: { name: 'cfg', items: [{ key: 'nope', path: 'n' }] } }] });
    expect(await node.events('bad')).toContain('FailedMount: MountVolume.SetUp failed for volume "v" : configmap references non-existent config key: nope');
  });

  it('a projected volume: its configMap part follows updates, its token is written once', async () => {
    node = await new Node(true).start();
    await node.admin.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'proj' }, data: { greeting: 'hello' } });
    await node.createPod('proj', [{ name: 'app', command: ['sleep-forever'], volumeMounts: [{ name: 'all', mountPath: '/all' }] }], {
      volumes: [{ name: 'all', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { configMap: { name: 'proj' } }] } }],
    });
    const all = view(node.runtime.started[0].mounts!.find((m) => m.mountPath === '/all')!);
    const token = all.readFile('/token');
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub).toBe('system:serviceaccount:default:default');
    expect(all.readFile('/greeting')).toBe('hello');
    await node.advance(60_000);
    await node.admin.update(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'proj' }, data: { greeting: 'bonjour' } });
    await node.settle();
    expect(all.readFile('/greeting')).toBe('bonjour');
    expect(all.readFile('/token')).toBe(token);
  });

  it('downwardAPI files follow the pod\'s labels and annotations', async () => {
    node = await new Node(true).start();
    await node.createPod(
      'dw',
      [{ name: 'c', command: ['sleep-forever'], resources: { limits: { memory: '64Mi' } }, volumeMounts: [{ name: 'info', mountPath: '/etc/podinfo' }] }],
      {
        volumes: [
          {
            name: 'info',
            downwardAPI: {
              items: [
                { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
                { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
                { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
              ],
            },
          },
        ],
      },
      { labels: { app: 'web', tier: 'front' } },
    );
    const fs = view(node.runtime.started[0].mounts!.find((m) => m.mountPath === '/etc/podinfo')!);
    expect(fs.readFile('/labels')).toBe('app="web"\ntier="front"');
    expect(fs.readFile('/name')).toBe('dw');
    expect(fs.readFile('/mem')).toBe('64');
    await node.admin.patch(R.pods, 'default', 'dw', 'merge', { metadata: { labels: { tier: 'back' } } });
    await node.settle();
    expect(fs.readFile('/labels')).toBe('app="web"\ntier="back"');
  });
});

function view(m: VolumeMount): FileSystem {
  return m.subPath ? new SubFs(m.fs, m.subPath, m.readOnly) : m.fs;
}

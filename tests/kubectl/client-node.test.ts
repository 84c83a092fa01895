/**
 * The official JavaScript client (@kubernetes/client-node 2.x) against `kubesim serve`, loading
 * the kubeconfig serve writes: typed calls over HTTPS with the cluster's CA and token, Status
 * errors as ApiException, and k8s.Watch streaming ADDED/MODIFIED/DELETED.
 */
import './node20-shims';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { Serve } from './harness';

let s: Serve;
let kc: k8s.KubeConfig;

beforeAll(async () => {
  s = new Serve();
  await s.start();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(s.kubeconfig);
});
afterAll(async () => {
  await s?.stop();
  s?.cleanup();
});

describe('@kubernetes/client-node', () => {
  it('loads the kubesim context and lists namespaces', async () => {
    expect(kc.getCurrentContext()).toBe('kubesim');
    expect(kc.getCurrentCluster()?.server).toBe(s.apiUrl);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    for (const n of list.items) expect(n.status?.phase).toBe('Active');
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
  });

  it('creates, reads, patches and deletes a configmap; errors are Status objects', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-js', labels: { via: 'client-node' } }, data: { greeting: 'hello' } } });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const read = await core.readNamespacedConfigMap({ name: 'from-js', namespace: 'default' });
    expect(read.data).toEqual({ greeting: 'hello' });
    // kubectl sees what the client made.
    expect(s.ok(['get', 'cm', 'from-js', '-o', 'jsonpath={.metadata.labels.via}'])).toBe('client-node');

    const patched = await core.patchNamespacedConfigMap({ name: 'from-js', namespace: 'default', body: { data: { greeting: 'hi' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    expect(patched.data).toEqual({ greeting: 'hi' });

    let err: unknown;
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-js' } } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(k8s.ApiException);
    const ex = err as k8s.ApiException<string>;
    expect(ex.code).toBe(409);
    const status = JSON.parse(ex.body);
    expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'AlreadyExists', code: 409, message: 'configmaps "from-js" already exists', details: { name: 'from-js', kind: 'configmaps' } });

    await core.deleteNamespacedConfigMap({ name: 'from-js', namespace: 'default' });
    let gone: unknown;
    try {
      await core.readNamespacedConfigMap({ name: 'from-js', namespace: 'default' });
    } catch (e) {
      gone = e;
    }
    expect((gone as k8s.ApiException<string>).code).toBe(404);
    expect(JSON.parse((gone as k8s.ApiException<string>).body).message).toBe('configmaps "from-js" not found');
  });

  it('AppsV1Api creates a deployment with the server defaults filled in', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const d = await apps.createNamespacedDeployment({
      namespace: 'default',
      body: { metadata: { name: 'js-web' }, spec: { selector: { matchLabels: { app: 'js-web' } }, template: { metadata: { labels: { app: 'js-web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } } },
    });
    expect(d.spec?.replicas).toBe(1);
    expect(d.spec?.strategy?.type).toBe('RollingUpdate');
    expect(d.spec?.template.spec?.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(d.spec?.template.spec?.restartPolicy).toBe('Always');
    expect(d.metadata?.generation).toBe(1);
    const scale = await apps.readNamespacedDeploymentScale({ name: 'js-web', namespace: 'default' });
    expect(scale.spec?.replicas).toBe(1);
    await apps.deleteNamespacedDeployment({ name: 'js-web', namespace: 'default' });
  });

  it('k8s.Watch sees ADDED, MODIFIED and DELETED for configmap changes', async () => {
    s.ok(['create', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jswatch\n' });
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const initial = await core.listNamespacedConfigMap({ namespace: 'jswatch' });
    const events: { type: string; name: string; data?: Record<string, string> }[] = [];
    let ended: unknown = 'not yet';
    const watch = new k8s.Watch(kc);
    const ctl = await watch.watch(
      '/api/v1/namespaces/jswatch/configmaps',
      { resourceVersion: initial.metadata?.resourceVersion, allowWatchBookmarks: true },
      (type, obj: k8s.V1ConfigMap) => {
        if (type !== 'BOOKMARK') events.push({ type, name: obj.metadata?.name ?? '', data: obj.data });
      },
      (e) => (ended = e),
    );
    const waitFor = async (n: number) => {
      const until = Date.now() + 20_000;
      while (events.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    };
    try {
      await core.createNamespacedConfigMap({ namespace: 'jswatch', body: { metadata: { name: 'watched' }, data: { v: '1' } } });
      await waitFor(1);
      s.ok(['patch', 'cm', 'watched', '-n', 'jswatch', '-p', '{"data":{"v":"2"}}']);
      await waitFor(2);
      s.ok(['delete', 'cm', 'watched', '-n', 'jswatch']);
      await waitFor(3);
      expect(events).toEqual([
        { type: 'ADDED', name: 'watched', data: { v: '1' } },
        { type: 'MODIFIED', name: 'watched', data: { v: '2' } },
        { type: 'DELETED', name: 'watched', data: { v: '2' } },
      ]);
      expect(ended).toBe('not yet');
    } finally {
      ctl.abort();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { listSemantics, openapiExtensions, patchMetaFor } from '../../../src-main/api/patch-meta';
import { applyStrategicMergePatch } from '../../../src-main/apiserver/patch/strategic-merge';
import { containers, deployment } from './fixtures';
import { statusOf } from '../status-of';

const DEPLOY = patchMetaFor('apps', 'v1', 'Deployment')!;
const POD = patchMetaFor('', 'v1', 'Pod')!;

function smp(obj: unknown, patch: unknown, meta = DEPLOY): any {
  return applyStrategicMergePatch(obj, patch, meta);
}

describe('patch metadata', () => {
  it('walks from a kind to its pod template containers', () => {
    const podSpec = DEPLOY.child('spec').child('template').child('spec');
    expect(podSpec.typeName).toBe('PodSpec');
    expect(podSpec.field('containers')).toMatchObject({ mergeKey: 'name', strategy: 'merge' });
    expect(podSpec.field('volumes')).toMatchObject({ mergeKey: 'name', strategy: 'merge,retainKeys' });
    const c = podSpec.child('containers');
    expect(c.field('ports')).toMatchObject({ mergeKey: 'containerPort', listMapKeys: ['containerPort', 'protocol'] });
    expect(c.field('env')).toMatchObject({ mergeKey: 'name' });
    expect(c.field('volumeMounts')).toMatchObject({ mergeKey: 'mountPath' });
    expect(DEPLOY.child('metadata').field('finalizers')).toMatchObject({ strategy: 'merge' });
    expect(listSemantics(DEPLOY.child('metadata').field('finalizers'))).toEqual({ kind: 'set' });
    expect(DEPLOY.child('metadata').field('ownerReferences')).toMatchObject({ mergeKey: 'uid' });
    expect(DEPLOY.child('status').field('conditions')).toMatchObject({ mergeKey: 'type' });
    expect(DEPLOY.child('spec').child('selector').atomic).toBe(true);
  });

  it('covers every workload template and the core merge keys', () => {
    for (const [g, v, k] of [
      ['apps', 'v1', 'ReplicaSet'],
      ['apps', 'v1', 'StatefulSet'],
      ['apps', 'v1', 'DaemonSet'],
      ['batch', 'v1', 'Job'],
      ['', 'v1', 'ReplicationController'],
    ]) {
      expect(patchMetaFor(g, v, k)!.child('spec').child('template').child('spec').typeName, k).toBe('PodSpec');
    }
    expect(patchMetaFor('batch', 'v1', 'CronJob')!.child('spec').child('jobTemplate').child('spec').child('template').child('spec').typeName).toBe('PodSpec');
    expect(patchMetaFor('', 'v1', 'PodTemplate')!.child('template').child('spec').typeName).toBe('PodSpec');
    expect(patchMetaFor('', 'v1', 'Service')!.child('spec').field('ports')).toMatchObject({ mergeKey: 'port', listMapKeys: ['port', 'protocol'] });
    const node = patchMetaFor('', 'v1', 'Node')!.child('status');
    expect(node.field('addresses')).toMatchObject({ mergeKey: 'type' });
    expect(node.field('conditions')).toMatchObject({ mergeKey: 'type' });
    const podSpec = POD.child('spec');
    expect(podSpec.field('imagePullSecrets')).toMatchObject({ mergeKey: 'name' });
    expect(podSpec.field('hostAliases')).toMatchObject({ mergeKey: 'ip' });
    expect(podSpec.field('topologySpreadConstraints')).toMatchObject({ mergeKey: 'topologyKey' });
    expect(podSpec.field('ephemeralContainers')).toMatchObject({ mergeKey: 'name' });
    expect(POD.child('status').field('conditions')).toMatchObject({ mergeKey: 'type' });
    expect(patchMetaFor('example.com', 'v1', 'Widget')).toBeUndefined();
  });

  it('gives the OpenAPI extensions upstream publishes', () => {
    expect(openapiExtensions('io.k8s.api.core.v1.PodSpec', 'containers')).toEqual({
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(openapiExtensions('io.k8s.api.apps.v1.DeploymentSpec', 'strategy')).toEqual({ 'x-kubernetes-patch-strategy': 'retainKeys' });
    expect(openapiExtensions('io.k8s.api.core.v1.PodSpec', 'hostname')).toBeUndefined();
  });
});

describe('strategic merge patch of a Deployment', () => {
  it('changes one container image by name and leaves the others', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } } });
    const cs = containers(out);
    expect(cs.map((c) => c.name)).toEqual(['nginx', 'sidecar']);
    expect(cs[0].image).toBe('nginx:1.25');
    expect(cs[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    expect(cs[1]).toEqual({ name: 'sidecar', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] });
  });

  it('adds an env var by name and updates another in place', () => {
    const out = smp(deployment(), {
      spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'C', value: '3' }, { name: 'A', value: 'one' }] }] } } },
    });
    // patch items first in patch order (C, A), the server-only B placed before the next patch item after it in the live list
    expect(containers(out)[0].env).toEqual([
      { name: 'C', value: '3' },
      { name: 'A', value: 'one' },
      { name: 'B', value: '2' },
    ]);
  });

  it('deletes a list item with $patch: delete', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } });
    expect(containers(out).map((c) => c.name)).toEqual(['nginx']);
  });

  it('replaces a list with $patch: replace', () => {
    const out = smp(deployment(), {
      spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'httpd' }] } } },
    });
    expect(containers(out)).toEqual([{ name: 'only', image: 'httpd' }]);
  });

  it('replaces a map with $patch: replace and empties it with $patch: delete', () => {
    const d = deployment();
    expect(smp(d, { metadata: { labels: { $patch: 'replace', only: 'this' } } }).metadata.labels).toEqual({ only: 'this' });
    expect(smp(d, { metadata: { labels: { $patch: 'delete' } } }).metadata.labels).toEqual({});
  });

  it('honours $setElementOrder', () => {
    const out = smp(deployment(), {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }],
            containers: [{ name: 'nginx', image: 'nginx:1.25' }],
          },
        },
      },
    });
    expect(containers(out).map((c) => [c.name, c.image])).toEqual([
      ['sidecar', 'busybox:1.36'],
      ['nginx', 'nginx:1.25'],
    ]);
  });

  it('merges ports by containerPort', () => {
    const out = smp(deployment(), {
      spec: { template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 443, name: 'https' }, { containerPort: 80, name: 'http' }] }] } } },
    });
    expect(containers(out)[0].ports).toEqual([
      { containerPort: 443, name: 'https' },
      { containerPort: 80, protocol: 'TCP', name: 'http' },
    ]);
  });

  it('deletes labels with null and replaces lists without a merge key', () => {
    const out = smp(deployment(), {
      metadata: { labels: { tier: null } },
      spec: { template: { spec: { containers: [{ name: 'sidecar', command: ['sleep', '1'] }] } } },
    });
    expect(out.metadata.labels).toEqual({ app: 'web' });
    expect(containers(out)[1].command).toEqual(['sleep', '1']);
  });

  it('clears other keys with $retainKeys (deployment strategy)', () => {
    const out = smp(deployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } });
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
    const vol = smp(deployment(), {
      spec: { template: { spec: { volumes: [{ name: 'data', $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' } }] } } },
    });
    expect(vol.spec.template.spec.volumes).toEqual([{ name: 'data', configMap: { name: 'cfg' } }]);
  });

  it('merges primitive lists like finalizers, and deletes from them', () => {
    const obj = { ...deployment(), metadata: { ...deployment().metadata, finalizers: ['a', 'b'] } };
    expect(smp(obj, { metadata: { finalizers: ['c', 'a'] } }).metadata.finalizers).toEqual(['c', 'a', 'b']);
    expect(smp(obj, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }).metadata.finalizers).toEqual(['b']);
  });

  it('applies what `kubectl apply` (client-side) sends: a 3-way patch with $setElementOrder and the last-applied annotation', () => {
    const live = deployment();
    const lastApplied =
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"web","namespace":"default"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.25","name":"nginx","ports":[{"containerPort":80},{"containerPort":8080}]}]}}}}\n';
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [
              {
                '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 8080 }],
                image: 'nginx:1.25',
                name: 'nginx',
                ports: [{ containerPort: 8080 }],
              },
            ],
          },
        },
      },
    };
    const out = smp(live, patch);
    expect(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe(lastApplied);
    expect(out.spec.replicas).toBe(3);
    const cs = containers(out);
    expect(cs.map((c) => c.name)).toEqual(['nginx', 'sidecar']);
    expect(cs[0].image).toBe('nginx:1.25');
    expect(cs[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 8080 }]);
    expect(cs[0].env).toHaveLength(2);
    // no directive survives into the object
    expect(JSON.stringify(out)).not.toContain('$setElementOrder');
  });

  it('does not modify its inputs', () => {
    const d = deployment();
    const p = { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'x' }] } } } };
    const before = JSON.stringify([d, p]);
    smp(d, p);
    expect(JSON.stringify([d, p])).toBe(before);
  });
});

describe('strategic merge patch errors', () => {
  it('refuses kinds without patch metadata (custom resources) with 415', () => {
    const e = statusOf(() => applyStrategicMergePatch({ spec: {} }, { spec: { a: 1 } }, undefined));
    expect(e.code).toBe(415);
    expect(e.status.reason).toBe('UnsupportedMediaType');
    expect(e.status.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });

  it('reports a list item without its merge key with the library message', () => {
    const e = statusOf(() => smp(deployment(), { spec: { template: { spec: { containers: [{ image: 'nginx' }] } } } }));
    expect(e.code).toBe(500);
    expect(e.status.message).toBe('map: map[image:nginx] does not contain declared merge key: name');
  });

  it('answers malformed directives with 400', () => {
    expect(statusOf(() => smp(deployment(), { spec: { strategy: { $retainKeys: 'type' } } })).status.message).toBe('invalid patch format of retainKeys');
    expect(statusOf(() => smp(deployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } })).code).toBe(400);
    expect(statusOf(() => smp(deployment(), { spec: { '$setElementOrderX/containers': [] } })).status.message).toBe('invalid patch format of setElementOrder list');
    expect(statusOf(() => smp(deployment(), { metadata: { $deleteFromPrimitiveList: ['a'] } })).status.message).toBe('invalid patch format of primitive list');
  });

  it('refuses $patch: merge in lists and unknown $patch values', () => {
    expect(statusOf(() => smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'x', $patch: 'merge' }] } } } })).status.message).toBe(
      'merging lists cannot yet be specified in the patch',
    );
    expect(statusOf(() => smp(deployment(), { metadata: { labels: { $patch: 'frob' } } })).status.message).toBe('unknown patch type: frob in map: map[$patch:frob]');
  });

  it('answers a patch body that is not an object with 400', () => {
    const e = statusOf(() => smp(deployment(), [1]));
    expect(e.code).toBe(400);
    expect(e.status.message).toBe('json: cannot unmarshal array into Go value of type map[string]interface {}');
  });
});

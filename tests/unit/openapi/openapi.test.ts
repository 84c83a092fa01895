import { describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { createOpenAPIHandler, type OpenAPIResponse } from '../../../src-main/apiserver/openapi/handler';
import { definitionFor, definitions } from '../../../src-main/apiserver/openapi/schemas';
import { TEST_RESOURCES } from './fake-apiserver';

const handler = createOpenAPIHandler(() => TEST_RESOURCES, { serverVersion: 'v1.33.0', now: () => new Date('2025-01-01T00:00:00Z') });
const get = (path: string, accept = 'application/json', ifNoneMatch?: string): OpenAPIResponse => {
  const u = new URL(path, 'https://x');
  const r = handler(u.pathname, u.searchParams, accept, { ifNoneMatch });
  if (!r) throw new Error(`not an openapi path: ${path}`);
  return r;
};
const body = (r: OpenAPIResponse): Record<string, any> => JSON.parse(String(r.body));

describe('definitions', () => {
  test('are named as upstream, with descriptions, required lists and GVKs', () => {
    const defs = definitions();
    const pod = defs['io.k8s.api.core.v1.Pod'];
    expect(pod.description).toMatch(/^Pod is a collection of containers/);
    expect(pod['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    expect(defs['io.k8s.api.core.v1.Container'].required).toEqual(['name']);
    expect(defs['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format).toBe('int-or-string');
    expect(defs['io.k8s.apimachinery.pkg.apis.meta.v1.Time']).toMatchObject({ type: 'string', format: 'date-time' });
    expect(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties?.creationTimestamp.allOf?.[0].$ref).toBe('#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time');
    expect(defs['io.k8s.api.core.v1.ResourceRequirements'].properties?.limits.additionalProperties).toEqual({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
    expect(defs['io.k8s.api.coordination.v1.LeaseSpec'].properties?.renewTime.allOf?.[0].$ref).toMatch(/MicroTime$/);
    expect(defs['io.k8s.api.core.v1.TopologySelectorTerm']).toBeDefined();
    expect(defs['io.k8s.api.events.v1.Event']['x-kubernetes-group-version-kind']).toEqual([{ group: 'events.k8s.io', kind: 'Event', version: 'v1' }]);
    expect(defs['io.k8s.api.core.v1.Event']['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Event', version: 'v1' }]);
    for (const name of ['io.k8s.api.autoscaling.v1.Scale', 'io.k8s.api.policy.v1.Eviction', 'io.k8s.api.core.v1.Binding', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', 'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent', 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta', 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler', 'io.k8s.api.rbac.v1.ClusterRoleBinding', 'io.k8s.api.networking.v1.IngressClass', 'io.k8s.api.storage.v1.StorageClass', 'io.k8s.api.discovery.v1.EndpointSlice', 'io.k8s.api.batch.v1.CronJob', 'io.k8s.api.policy.v1.PodDisruptionBudget']) {
      expect(defs[name], name).toBeDefined();
    }
    expect(definitionFor('autoscaling', 'v2', 'HorizontalPodAutoscaler')).toBe(defs['io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler']);
  });

  test('every $ref resolves', () => {
    const defs = definitions();
    const bad: string[] = [];
    const visit = (v: unknown, where: string): void => {
      if (Array.isArray(v)) v.forEach((x) => visit(x, where));
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string' && !defs[x.replace('#/components/schemas/', '')]) bad.push(`${where}: ${x}`);
          else visit(x, where);
        }
      }
    };
    for (const [n, d] of Object.entries(defs)) visit(d, n);
    expect(bad).toEqual([]);
  });
});

describe('/openapi/v3', () => {
  test('index lists every group-version with the hash of its document', () => {
    const r = get('/openapi/v3', 'application/json, */*');
    expect(r.status).toBe(200);
    const idx = body(r);
    expect(Object.keys(idx.paths).sort()).toEqual(['api', 'api/v1', 'apis', 'apis/apps', 'apis/apps/v1']);
    const url: string = idx.paths['api/v1'].serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    const doc = get(url);
    expect(doc.status).toBe(200);
    expect(url.endsWith(createHash('sha512').update(String(doc.body)).digest('hex').toUpperCase())).toBe(true);
    expect(doc.headers).toMatchObject({ 'Cache-Control': 'public, immutable', ETag: `"${url.split('hash=')[1]}"`, Expires: 'Thu, 01 Jan 2026 00:00:00 GMT' });
    expect(r.headers?.ETag).toMatch(/^"[0-9A-F]{128}"$/);
  });

  test('stale hash redirects, If-None-Match gives 304, no hash is not immutable', () => {
    const url: string = body(get('/openapi/v3')).paths['apis/apps/v1'].serverRelativeURL;
    const stale = get('/openapi/v3/apis/apps/v1?hash=ABC');
    expect(stale.status).toBe(301);
    expect(stale.headers?.Location).toBe(url);
    const plain = get('/openapi/v3/apis/apps/v1');
    expect(plain.status).toBe(200);
    expect(plain.headers?.['Cache-Control']).toBeUndefined();
    expect(get('/openapi/v3/apis/apps/v1', 'application/json', plain.headers?.ETag).status).toBe(304);
    expect(get('/openapi/v3/apis/nope/v1').status).toBe(404);
    expect(get('/openapi/v3/api/v1', 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf').status).toBe(406);
    expect(handler('/api/v1', new URLSearchParams(), undefined)).toBeUndefined();
  });

  test('group-version document has schemas and paths with upstream operations', () => {
    const doc = body(get('/openapi/v3/api/v1'));
    expect(doc.openapi).toBe('3.0.0');
    expect(doc.components.schemas['io.k8s.api.core.v1.Pod']).toBeDefined();
    expect(doc.components.schemas['io.k8s.api.policy.v1.Eviction']).toBeDefined(); // pods/eviction
    expect(doc.components.schemas['io.k8s.api.apps.v1.Deployment']).toBeUndefined();
    const item = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'];
    expect(item.patch.operationId).toBe('patchCoreV1NamespacedPod');
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: '', kind: 'Pod', version: 'v1' });
    expect(item.patch.parameters.map((p: { name: string }) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    expect(Object.keys(item.patch.requestBody.content)).toContain('application/strategic-merge-patch+json');
    expect(item.parameters.map((p: { name: string }) => p.name)).toEqual(['name', 'namespace', 'pretty']);
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods'].get.operationId).toBe('listCoreV1NamespacedPod');
    expect(doc.paths['/api/v1/pods'].get.operationId).toBe('listCoreV1PodForAllNamespaces');
    expect(doc.paths['/api/v1/namespaces/{name}'].get.operationId).toBe('readCoreV1Namespace');
    expect(doc.paths['/api/v1/namespaces'].delete).toBeUndefined(); // no deletecollection verb
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction'].post['x-kubernetes-group-version-kind']).toEqual({ group: 'policy', kind: 'Eviction', version: 'v1' });
    const apps = body(get('/openapi/v3/apis/apps/v1'));
    expect(apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].patch.operationId).toBe('patchAppsV1NamespacedDeploymentScale');
    expect(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']).toBeDefined();
  });
});

describe('/openapi/v2', () => {
  test('JSON with #/definitions refs', () => {
    const r = get('/openapi/v2', 'application/json');
    expect(r.status).toBe(200);
    const doc = body(r);
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['io.k8s.api.core.v1.Pod'].properties.spec.$ref).toBe('#/definitions/io.k8s.api.core.v1.PodSpec');
    expect(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: 'string', format: 'int-or-string' });
    expect(JSON.stringify(doc)).not.toContain('#/components/');
    expect(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
  });

  test('protobuf as kube-apiserver names it; 406 for other types', () => {
    const r = get('/openapi/v2', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
    expect(r.status).toBe(200);
    expect(r.contentType).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    const b = r.body as Buffer;
    // field 1 (swagger), length 3, "2.0"
    expect([...b.subarray(0, 5)]).toEqual([0x0a, 3, 0x32, 0x2e, 0x30]);
    expect(b.includes(Buffer.from('io.k8s.api.core.v1.Pod'))).toBe(true);
    expect(get('/openapi/v2', 'application/xml').status).toBe(406);
  });
});

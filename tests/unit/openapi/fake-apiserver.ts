/**
 * A tiny HTTPS server for checking the OpenAPI handler against real kubectl binaries: legacy
 * discovery for a handful of resources, the OpenAPI routes, and 404 for everything else. Records
 * every request (method, path, Accept) so tests can see what each kubectl version asks for.
 */
import { createServer, type Server } from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createOpenAPIHandler } from '../../../src-main/apiserver/openapi/handler';
import type { OpenAPIResource } from '../../../src-main/apiserver/openapi/paths';

export interface RecordedRequest {
  method: string;
  path: string;
  accept: string;
  body?: string;
  contentType?: string;
}

export interface FakeServer {
  url: string;
  dir: string;
  kubeconfig: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export const TEST_RESOURCES: OpenAPIResource[] = [
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, subresources: ['status', 'binding', 'eviction', 'log'] },
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: ['status'] },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, subresources: ['status'] },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, subresources: ['status', 'scale'] },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, subresources: ['status', 'scale'] },
];

const SHORT: Record<string, string[]> = { pods: ['po'], services: ['svc'], configmaps: ['cm'], namespaces: ['ns'], deployments: ['deploy'], replicasets: ['rs'] };

function resourceList(group: string, version: string): unknown {
  const rs = TEST_RESOURCES.filter((r) => r.group === group && r.version === version);
  const resources: unknown[] = [];
  for (const r of rs) {
    resources.push({
      name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind,
      verbs: r.verbs ?? ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: SHORT[r.plural],
    });
    for (const s of r.subresources ?? []) resources.push({ name: `${r.plural}/${s}`, singularName: '', namespaced: r.namespaced, kind: s === 'scale' ? 'Scale' : r.kind, verbs: ['get', 'patch', 'update'] });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

export async function startFakeServer(): Promise<FakeServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-openapi-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  const handler = createOpenAPIHandler(() => TEST_RESOURCES, { serverVersion: 'v1.33.0' });
  const requests: RecordedRequest[] = [];
  /** Objects created through POST, by item path, so kubectl can GET them back (apply). */
  const objects = new Map<string, unknown>();
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    const u = new URL(req.url ?? '/', 'https://localhost');
    requests.push({ method: req.method ?? 'GET', path: u.pathname + u.search, accept: String(req.headers.accept ?? '') });
    const r = handler(u.pathname, u.searchParams, req.headers.accept, { ifNoneMatch: req.headers['if-none-match'] });
    if (r) {
      res.writeHead(r.status, { 'Content-Type': r.contentType, ...(r.headers ?? {}) });
      res.end(r.body);
      return;
    }
    const stored = objects.get(u.pathname);
    if (req.method === 'GET' && stored) return json(res, 200, stored);
    if (req.method === 'POST' || req.method === 'PATCH') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        requests[requests.length - 1].body = body;
        let obj: Record<string, unknown> = {};
        try {
          obj = JSON.parse(body) as Record<string, unknown>;
        } catch {
          /* not JSON */
        }
        if (req.method === 'PATCH') {
          // Records the patch; answers with the stored object unchanged (enough for kubectl to finish).
          requests[requests.length - 1].contentType = String(req.headers['content-type'] ?? '');
          return stored ? json(res, 200, stored) : json(res, 404, {});
        }
        const created = { ...obj, metadata: { ...(obj.metadata as object), namespace: 'default', uid: '1', resourceVersion: '1', creationTimestamp: '2024-01-01T00:00:00Z' } };
        const name = (obj.metadata as { name?: string } | undefined)?.name;
        if (name) objects.set(`${u.pathname}/${name}`, created);
        json(res, 201, created);
      });
      return;
    }
    switch (u.pathname) {
      case '/version':
        return json(res, 200, { major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' });
      case '/api':
        return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] });
      case '/apis':
        return json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }] });
      case '/api/v1':
        return json(res, 200, resourceList('', 'v1'));
      case '/apis/apps/v1':
        return json(res, 200, resourceList('apps', 'v1'));
      default:
        return json(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: test',
    'clusters:', '- name: test', '  cluster:', `    server: ${url}`, '    insecure-skip-tls-verify: true',
    'users:', '- name: test', '  user:', '    token: test-token',
    'contexts:', '- name: test', '  context:', '    cluster: test', '    user: test', '    namespace: default', '',
  ].join('\n'));
  return {
    url, dir, kubeconfig, requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

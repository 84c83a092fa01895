/** An in-process API server over an in-memory store, with the system namespaces, for handler tests. */
import { SqliteStore } from '../../../src-main/storage/sqlite-store';
import { createApiServer, type ApiServer } from '../../../src-main/apiserver/server';
import type { ApiResponse, WatchEventOut } from '../../../src-main/apiserver/types';

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers?: Record<string, string>;
}

export class TestServer {
  readonly store = SqliteStore.open({ path: ':memory:', historyWindow: 50 });
  readonly server: ApiServer = createApiServer(this.store);

  async req(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const u = new URL(url, 'https://x');
    const r: ApiResponse = await this.server.handler({
      method,
      path: u.pathname,
      query: u.searchParams,
      headers: { 'content-type': 'application/json', 'user-agent': 'kubectl/v1.32.0 (linux/amd64) kubernetes/test', ...headers },
      body: body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      user: { name: 'admin', groups: ['system:masters'] },
    });
    if (r.type === 'object') return { status: r.status, body: r.body, headers: r.headers };
    if (r.type === 'raw') return { status: r.status, body: r.body.toString() };
    throw new Error('watch response: use watch()');
  }

  /** Starts a watch and collects its events. */
  async watch(url: string, headers: Record<string, string> = {}): Promise<{ events: WatchEventOut[]; close(): void; status: number; body?: unknown }> {
    const u = new URL(url, 'https://x');
    const r = await this.server.handler({ method: 'GET', path: u.pathname, query: u.searchParams, headers, user: { name: 'admin', groups: [] } });
    if (r.type !== 'watch') return { events: [], close() {}, status: r.status, body: r.type === 'object' ? r.body : undefined };
    const events: WatchEventOut[] = [];
    r.stream.onEvent((e) => events.push(e));
    return { events, close: () => r.stream.close(), status: 200 };
  }

  async withNamespaces(...names: string[]): Promise<this> {
    for (const n of names) await this.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } });
    return this;
  }

  close(): void {
    this.server.close();
    this.store.close();
  }
}

export function deployment(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
      ...extra,
    },
  };
}

export function configMap(name: string, data: Record<string, string> = { a: '1' }, labels?: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

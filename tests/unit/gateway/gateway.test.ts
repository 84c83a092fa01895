/**
 * The UI gateway against a fake ApiHandler: session cookie, Host/Origin checks, request
 * forwarding, JSON/raw/watch responses and the static renderer files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUiGateway, type UiGateway } from '../../../src-main/gateway';
import type { ApiRequest, ApiResponse, WatchEventOut, WatchStream } from '../../../src-main/apiserver/types';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A watch stream the test drives by hand. */
class FakeWatch implements WatchStream {
  private eventCb?: (ev: WatchEventOut) => void;
  private closeCb?: () => void;
  private pending: WatchEventOut[] = [];
  closed = false;
  closedResolve!: () => void;
  readonly closedPromise = new Promise<void>((r) => (this.closedResolve = r));
  onEvent(cb: (ev: WatchEventOut) => void): void {
    this.eventCb = cb;
    for (const ev of this.pending.splice(0)) cb(ev);
  }
  onClose(cb: () => void): void {
    this.closeCb = cb;
  }
  push(ev: WatchEventOut): void {
    if (this.eventCb) this.eventCb(ev);
    else this.pending.push(ev);
  }
  /** The server side ends the watch. */
  end(): void {
    this.closeCb?.();
    this.close();
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closedResolve();
  }
}

describe('UI gateway', () => {
  let gw: UiGateway;
  let rendererDir: string;
  let secret: string;
  const seen: ApiRequest[] = [];
  const watches: FakeWatch[] = [];

  const handler = async (req: ApiRequest): Promise<ApiResponse> => {
    seen.push(req);
    if (req.path === '/api/v1/nodes' && req.query.get('watch') === '1') {
      const w = new FakeWatch();
      watches.push(w);
      w.push({ type: 'ADDED', object: { kind: 'Node', metadata: { name: 'n1', resourceVersion: '5' } } });
      return { type: 'watch', status: 200, stream: w };
    }
    if (req.path === '/api/v1/nodes') return { type: 'object', status: 200, body: { kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: '4' }, items: [] } };
    if (req.path === '/api/v1/namespaces' && req.method === 'POST') {
      const parsed = JSON.parse((req.body as Buffer).toString('utf8')) as object;
      return { type: 'object', status: 201, body: { ...parsed, metadata: { name: 'made' } } };
    }
    if (req.path === '/healthz') return { type: 'raw', status: 200, body: Buffer.from('ok'), contentType: 'text/plain; charset=utf-8' };
    if (req.path === '/version') throw new Error('boom');
    return { type: 'object', status: 404, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' } };
  };

  beforeAll(async () => {
    rendererDir = mkdtempSync(join(tmpdir(), 'kubesim-gw-'));
    mkdirSync(join(rendererDir, 'assets'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kubesim</title><div id="app"></div>');
    writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
    writeFileSync(join(rendererDir, 'assets', 'logo.svg'), '<svg/>');
    writeFileSync(join(tmpdir(), 'kubesim-gw-outside.txt'), 'secret file');
    gw = await startUiGateway({ port: 0, handler, user: { name: 'kubernetes-admin', groups: ['system:masters'] }, rendererDir });
    secret = new URL(gw.url).searchParams.get('session')!;
  });
  afterAll(async () => {
    await gw.close();
    rmSync(rendererDir, { recursive: true, force: true });
  });

  const cookie = () => ({ cookie: `kubesim_session=${secret}` });

  it('listens on 127.0.0.1 and prints a URL carrying a long random session secret', () => {
    const u = new URL(gw.url);
    expect(u.hostname).toBe('127.0.0.1');
    expect(Number(u.port)).toBe(gw.port);
    expect(secret.length).toBeGreaterThanOrEqual(32);
  });

  it('exchanges the session link for an HttpOnly SameSite=Strict cookie and redirects to /', async () => {
    const r = await request(gw.port, `/?session=${secret}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const set = String(r.headers['set-cookie']);
    expect(set).toContain(`kubesim_session=${secret}`);
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
    expect(set).toContain('Path=/');
  });

  it('refuses a wrong session link', async () => {
    const r = await request(gw.port, '/?session=not-the-secret');
    expect(r.status).toBe(401);
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('answers API requests without the cookie with a 401 Status', async () => {
    const before = seen.length;
    for (const path of ['/api/v1/nodes', '/apis/apps/v1/deployments', '/version', '/api']) {
      const r = await request(gw.port, path);
      expect(r.status).toBe(401);
      const status = JSON.parse(r.body.toString()) as { kind: string; code: number; reason: string };
      expect(status).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
    }
    const wrong = await request(gw.port, '/api/v1/nodes', { headers: { cookie: 'kubesim_session=guess' } });
    expect(wrong.status).toBe(401);
    expect(seen.length).toBe(before);
  });

  it('rejects a foreign Host header (DNS rebinding), accepts localhost', async () => {
    const evil = await request(gw.port, '/api/v1/nodes', { headers: { host: `evil.example:${gw.port}`, ...cookie() } });
    expect(evil.status).toBe(403);
    const evilPage = await request(gw.port, '/', { headers: { host: 'evil.example' } });
    expect(evilPage.status).toBe(403);
    const wrongPort = await request(gw.port, '/', { headers: { host: '127.0.0.1:1' } });
    expect(wrongPort.status).toBe(403);
    const local = await request(gw.port, '/api/v1/nodes', { headers: { host: `localhost:${gw.port}`, ...cookie() } });
    expect(local.status).toBe(200);
  });

  it('forwards API requests as the session user with lower-case headers, query and no cookie', async () => {
    const r = await request(gw.port, '/api/v1/nodes?limit=5&labelSelector=a%3Db', { headers: { ...cookie(), Accept: 'application/json', 'X-Custom': 'Yes', Authorization: 'Bearer not-for-the-api' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body.toString())).toMatchObject({ kind: 'NodeList' });
    const req = seen.at(-1)!;
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/api/v1/nodes');
    expect(req.query.get('limit')).toBe('5');
    expect(req.query.get('labelSelector')).toBe('a=b');
    expect(req.headers.accept).toBe('application/json');
    expect(req.headers['x-custom']).toBe('Yes');
    expect(req.headers.cookie).toBeUndefined();
    expect(req.headers.authorization).toBeUndefined();
    expect(req.user).toEqual({ name: 'kubernetes-admin', groups: ['system:masters'] });
    expect(req.signal).toBeInstanceOf(AbortSignal);
  });

  it('passes the request body as raw bytes', async () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
    const r = await request(gw.port, '/api/v1/namespaces', { method: 'POST', body, headers: { ...cookie(), 'content-type': 'application/json' } });
    expect(r.status).toBe(201);
    const req = seen.at(-1)!;
    expect(Buffer.isBuffer(req.body)).toBe(true);
    expect((req.body as Buffer).toString()).toBe(body);
    expect(req.headers['content-type']).toBe('application/json');
  });

  it('refuses cross-origin writes even with the cookie', async () => {
    const before = seen.length;
    const r = await request(gw.port, '/api/v1/namespaces', { method: 'POST', body: '{}', headers: { ...cookie(), origin: 'http://evil.example' } });
    expect(r.status).toBe(403);
    expect(seen.length).toBe(before);
    const same = await request(gw.port, '/api/v1/namespaces', { method: 'POST', body: '{}', headers: { ...cookie(), origin: `http://127.0.0.1:${gw.port}` } });
    expect(same.status).toBe(201);
  });

  it('writes raw responses byte for byte with their content type', async () => {
    const r = await request(gw.port, '/healthz', { headers: cookie() });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.body.toString()).toBe('ok');
  });

  it('turns a handler crash into a 500 Status', async () => {
    const r = await request(gw.port, '/version', { headers: cookie() });
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body.toString())).toMatchObject({ kind: 'Status', code: 500, reason: 'InternalError' });
  });

  it('streams watch events as JSON lines until the client goes away', async () => {
    const lines: string[] = [];
    let headers: http.IncomingHttpHeaders = {};
    const req = http.request({ host: '127.0.0.1', port: gw.port, path: '/api/v1/nodes?watch=1&resourceVersion=4', headers: { host: `127.0.0.1:${gw.port}`, ...cookie() } });
    const gotTwo = new Promise<void>((resolve) => {
      req.on('response', (res) => {
        headers = res.headers;
        let buf = '';
        res.on('data', (c: Buffer) => {
          buf += c.toString();
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            lines.push(buf.slice(0, i));
            buf = buf.slice(i + 1);
            if (lines.length === 1) watches.at(-1)!.push({ type: 'MODIFIED', object: { kind: 'Node', metadata: { name: 'n1', resourceVersion: '6' } } });
            if (lines.length === 2) resolve();
          }
        });
      });
    });
    req.end();
    await gotTwo;
    expect(headers['content-type']).toBe('application/json;stream=watch');
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(lines.map((l) => JSON.parse(l) as { type: string; object: { metadata: { resourceVersion: string } } }).map((e) => [e.type, e.object.metadata.resourceVersion])).toEqual([
      ['ADDED', '5'],
      ['MODIFIED', '6'],
    ]);
    const w = watches.at(-1)!;
    expect(w.closed).toBe(false);
    req.destroy();
    await w.closedPromise;
    expect(w.closed).toBe(true);
  });

  it('ends the HTTP response when the server ends the watch', async () => {
    const r = await new Promise<Reply>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: gw.port, path: '/api/v1/nodes?watch=1', headers: { host: `127.0.0.1:${gw.port}`, ...cookie() } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          watches.at(-1)!.end();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(r.status).toBe(200);
    expect(r.body.toString().trim().split('\n')).toHaveLength(1);
  });

  it('serves the renderer with content types, a strict CSP and no directory escapes', async () => {
    const index = await request(gw.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body.toString()).toContain('<div id="app">');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(index.headers['x-content-type-options']).toBe('nosniff');

    const js = await request(gw.port, '/assets/index-abc.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await request(gw.port, '/assets/index-abc.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await request(gw.port, '/assets/logo.svg')).headers['content-type']).toBe('image/svg+xml');

    // Client-side routes fall back to index.html; missing assets are 404.
    expect((await request(gw.port, '/nodes')).body.toString()).toContain('<div id="app">');
    expect((await request(gw.port, '/assets/missing.js')).status).toBe(404);

    for (const p of ['/../kubesim-gw-outside.txt', '/%2e%2e/kubesim-gw-outside.txt', '/assets/..%2f..%2fkubesim-gw-outside.txt', '/%00.js']) {
      const r = await request(gw.port, p);
      expect(r.body.toString()).not.toContain('secret file');
      expect([200, 404]).toContain(r.status);
    }
    expect((await request(gw.port, '/', { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('explains how to build when the given renderer folder has no index.html', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kubesim-gw-empty-'));
    const lines: string[] = [];
    const g = await startUiGateway({ port: 0, handler, user: { name: 'u', groups: [] }, rendererDir: empty, log: (l) => lines.push(l) });
    try {
      const r = await request(g.port, '/');
      expect(r.status).toBe(503);
      expect(r.body.toString()).toContain('npm run build');
      expect(lines.join('\n')).toContain('renderer not built');
    } finally {
      await g.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('close() ends open watches and stops listening', async () => {
    const g = await startUiGateway({ port: 0, handler, user: { name: 'u', groups: [] }, rendererDir });
    const s = new URL(g.url).searchParams.get('session')!;
    const opened = new Promise<void>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: g.port, path: '/api/v1/nodes?watch=1', headers: { host: `127.0.0.1:${g.port}`, cookie: `kubesim_session=${s}` } }, (res) => {
        res.on('data', () => resolve());
        res.on('error', () => {});
      });
      req.on('error', () => {});
      req.end();
    });
    await opened;
    const w = watches.at(-1)!;
    await g.close();
    await w.closedPromise;
    await expect(request(g.port, '/')).rejects.toThrow();
  });
});

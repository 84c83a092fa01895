/**
 * The in-process micro-benchmark's body (bundled by bench/inproc.mjs): the API handler over a
 * SqliteStore on a temp file, driven with HTTP-shaped requests (Buffer bodies), each response
 * written through the HTTPS listener's own writer (writeApiResponse) into a sink, so the figures
 * include serialization but no TLS or sockets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { SqliteStore } from '../src-main/storage/sqlite-store';
import { createApiServer } from '../src-main/apiserver/server';
import { writeApiResponse } from '../src-main/apiserver/transport';
import type { ApiRequest } from '../src-main/apiserver/types';

const USER = { name: 'admin', groups: ['system:masters'] };

function pod(ns: string, name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: 'bench', tier: 'web' } },
    spec: {
      nodeName: 'bench-no-such-node',
      containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
    },
  };
}

/** A stand-in for Node's IncomingMessage / ServerResponse that counts the bytes written. */
class Sink extends EventEmitter {
  bytes = 0;
  status = 0;
  writableEnded = false;
  headersSent = false;
  chunks = 0;
  writeHead(status: number): this {
    this.status = status;
    this.headersSent = true;
    return this;
  }
  flushHeaders(): void {}
  write(c: string | Buffer): boolean {
    this.bytes += typeof c === 'string' ? Buffer.byteLength(c) : c.length;
    this.chunks++;
    return true;
  }
  end(c?: string | Buffer): void {
    if (c !== undefined) this.write(c);
    this.writableEnded = true;
  }
}

export async function run(opts: { n: number; gets: number; listRuns: number; watchers: number; watchWrites: number; only: Set<string> }): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-inproc-'));
  const store = SqliteStore.open({ path: join(dir, 'kubesim.db') });
  const server = createApiServer(store);
  const handler = server.handler;
  const out: Record<string, number> = {};
  const call = async (method: ApiRequest['method'], path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Sink> => {
    const u = new URL(path, 'https://x');
    const req: ApiRequest = {
      method,
      path: u.pathname,
      query: u.searchParams,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'kubectl/v1.32.0 (linux/amd64) kubernetes/test', ...headers },
      body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
      user: USER,
    };
    const r = await handler(req);
    const sink = new Sink();
    writeApiResponse({ method } as never, sink as never, r);
    return sink;
  };
  const expect = (s: Sink, want: number, what: string): void => {
    if (s.status !== want) throw new Error(`${what}: HTTP ${s.status}`);
  };
  try {
    for (const ns of ['bench', 'warm', 'watch']) expect(await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }), 201, 'namespace');
    for (let i = 0; i < 300; i++) expect(await call('POST', '/api/v1/namespaces/warm/pods', pod('warm', `w-${i}`)), 201, 'warm create');

    const n = opts.n;
    let t = performance.now();
    for (let i = 0; i < n; i++) expect(await call('POST', '/api/v1/namespaces/bench/pods', pod('bench', `p-${String(i).padStart(5, '0')}`)), 201, 'create');
    let ms = performance.now() - t;
    out.create_us = Math.round((ms * 1000) / n);
    out.creates_per_s = Math.round(n / (ms / 1000));

    if (opts.only.has('get')) {
      t = performance.now();
      for (let i = 0; i < opts.gets; i++) expect(await call('GET', `/api/v1/namespaces/bench/pods/p-${String((i * 7919) % n).padStart(5, '0')}`), 200, 'get');
      ms = performance.now() - t;
      out.get_us = Math.round((ms * 1000) / opts.gets);
      out.gets_per_s = Math.round(opts.gets / (ms / 1000));
    }

    if (opts.only.has('list')) {
      const table = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json' };
      const times: number[] = [];
      for (let r = 0; r <= opts.listRuns; r++) {
        t = performance.now();
        const s = await call('GET', '/api/v1/namespaces/bench/pods?limit=0', undefined, table);
        if (r > 0) times.push(performance.now() - t);
        expect(s, 200, 'list');
      }
      times.sort((a, b) => a - b);
      out[`list_${n}_table_ms`] = Math.round(times[times.length >> 1] * 10) / 10;
      const plain: number[] = [];
      for (let r = 0; r <= opts.listRuns; r++) {
        t = performance.now();
        const s = await call('GET', '/api/v1/namespaces/bench/pods?limit=0');
        if (r > 0) plain.push(performance.now() - t);
        expect(s, 200, 'list');
      }
      plain.sort((a, b) => a - b);
      out[`list_${n}_json_ms`] = Math.round(plain[plain.length >> 1] * 10) / 10;
    }

    if (opts.only.has('watch')) {
      const sinks: Sink[] = [];
      for (let w = 0; w < opts.watchers; w++) {
        const u = new URL('/api/v1/namespaces/watch/pods?watch=1&resourceVersion=' + store.currentRevision() + '&timeoutSeconds=600', 'https://x');
        const r = await handler({ method: 'GET', path: u.pathname, query: u.searchParams, headers: { accept: 'application/json' }, user: USER });
        const sink = new Sink();
        writeApiResponse(new EventEmitter() as never, sink as never, r);
        sinks.push(sink);
      }
      // Time of each create including the synchronous fan-out to every watcher.
      const lat: number[] = [];
      for (let i = 0; i < opts.watchWrites; i++) {
        t = performance.now();
        expect(await call('POST', '/api/v1/namespaces/watch/pods', pod('watch', `x-${i}`)), 201, 'watch create');
        lat.push(performance.now() - t);
      }
      const got = sinks.reduce((a, s) => a + s.chunks, 0);
      if (got !== opts.watchers * opts.watchWrites) throw new Error(`watch: ${got} events written, expected ${opts.watchers * opts.watchWrites}`);
      for (const s of sinks) s.emit('close');
      lat.sort((a, b) => a - b);
      out.watch_create_fanout_p50_ms = Math.round(lat[lat.length >> 1] * 100) / 100;
      out.watch_create_fanout_p99_ms = Math.round(lat[Math.ceil(lat.length * 0.99) - 1] * 100) / 100;
    }
    return out;
  } finally {
    server.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

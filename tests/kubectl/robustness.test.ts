/**
 * The server never loses acknowledged data and never crashes on bad input:
 * - kill -9 during a burst of creates: every create that got a 201 is there after restart;
 * - thousands of malformed or mutated requests get 4xx Status answers, and it still serves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Serve } from './harness';

interface Conn {
  host: string;
  port: number;
  token: string;
  ca: string;
  agent: https.Agent;
}

function connOf(s: Serve): Conn {
  const kc = parse(readFileSync(s.kubeconfig, 'utf8')) as {
    clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { name: string; user: { token: string } }[];
  };
  const cluster = kc.clusters.find((c) => c.name === 'kubesim')!.cluster;
  const url = new URL(cluster.server);
  return {
    host: url.hostname,
    port: Number(url.port),
    token: kc.users.find((u) => u.name === 'kubesim')!.user.token,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64').toString(),
    agent: new https.Agent({ keepAlive: true, maxSockets: 8 }),
  };
}

function request(c: Conn, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: c.host, port: c.port, method, path, ca: c.ca, agent: c.agent, headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function pod(name: string): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: name } });
}

describe('crash safety', () => {
  const s = new Serve();
  afterAll(async () => {
    await s.stop();
    s.cleanup();
  });

  it('keeps every acknowledged create across kill -9', async () => {
    const dataDir = join(s.dir, 'data');
    await s.start(dataDir);
    const c = connOf(s);
    const acked: string[] = [];
    let stop = false;
    const workers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const name = `cm-${w}-${i}`;
        try {
          const r = await request(c, 'POST', '/api/v1/namespaces/default/configmaps', pod(name));
          if (r.status === 201) acked.push(name);
        } catch {
          return; // the server died mid-request: that create was never acknowledged
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    s.proc!.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    c.agent.destroy();
    expect(acked.length).toBeGreaterThan(50);

    const s2 = new Serve();
    await s2.start(dataDir);
    try {
      const list = JSON.parse(s2.ok(['get', 'configmaps', '-n', 'default', '-o', 'json'])) as { items: { metadata: { name: string; resourceVersion: string } }[] };
      const names = new Set(list.items.map((i) => i.metadata.name));
      const missing = acked.filter((n) => !names.has(n));
      expect(missing).toEqual([]);
      const maxRv = Math.max(...list.items.map((i) => Number(i.metadata.resourceVersion)));
      const created = JSON.parse(s2.ok(['create', 'configmap', 'after-restart', '-o', 'json'])) as { metadata: { resourceVersion: string } };
      expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(maxRv);
    } finally {
      await s2.stop();
      s2.cleanup();
    }
  });
});

describe('bad input fuzz', () => {
  const s = new Serve();
  let c: Conn;
  beforeAll(async () => {
    await s.start();
    c = connOf(s);
  });
  afterAll(async () => {
    c.agent.destroy();
    await s.stop();
    s.cleanup();
  });

  const valid = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] } } },
  };

  // A seeded PRNG so failures reproduce.
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const junk = [null, true, 0, -1, 1e309, 'x', '', [], {}, [1, 'a'], { a: { b: null } }, '💥', 'a'.repeat(300), 2 ** 53, -0.5];

  function mutate(v: unknown, depth = 0): unknown {
    if (depth > 6 || rnd(4) === 0) return junk[rnd(junk.length)];
    if (Array.isArray(v)) return v.map((x) => mutate(x, depth + 1));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const r = rnd(10);
        if (r === 0) continue;
        out[r === 1 ? `${k}X` : k] = r < 5 ? mutate(x, depth + 1) : x;
      }
      return out;
    }
    return junk[rnd(junk.length)];
  }

  it('answers thousands of malformed requests with 4xx Status objects and keeps serving', async () => {
    const paths = [
      '/apis/apps/v1/namespaces/default/deployments',
      '/api/v1/namespaces/default/pods',
      '/api/v1/namespaces/default/services',
      '/api/v1/namespaces',
      '/apis/batch/v1/namespaces/default/jobs',
    ];
    const bad: string[] = [];
    const tasks: (() => Promise<void>)[] = [];
    for (let i = 0; i < 2500; i++) {
      const kind = rnd(6);
      let body: string | Buffer;
      let ct = 'application/json';
      let method = 'POST';
      let path = paths[rnd(paths.length)];
      if (kind === 0) body = JSON.stringify(valid).slice(0, rnd(200));
      else if (kind === 1) body = Buffer.from(Array.from({ length: rnd(300) }, () => rnd(256)));
      else if (kind === 2) {
        body = 'a: [b\n  - c: {';
        ct = 'application/yaml';
      } else if (kind === 3) {
        method = 'PATCH';
        path = `${path}/web`;
        body = JSON.stringify(mutate([{ op: 'replace', path: '/spec/replicas', value: 3 }]));
        ct = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'text/plain'][rnd(4)];
      } else body = JSON.stringify(mutate(valid));
      tasks.push(async () => {
        const r = await request(c, method, path, body, { 'content-type': ct });
        if (r.status >= 500 || r.status === 0) bad.push(`${r.status} ${method} ${path}: ${r.body.slice(0, 300)}`);
        if (r.status >= 400) {
          const st = JSON.parse(r.body) as { kind: string; code: number };
          if (st.kind !== 'Status' || st.code !== r.status) bad.push(`not a Status: ${r.body.slice(0, 200)}`);
        }
      });
    }
    for (let i = 0; i < tasks.length; i += 16) await Promise.all(tasks.slice(i, i + 16).map((t) => t()));
    expect(bad.slice(0, 10)).toEqual([]);
    // Oversized bodies get 413; unknown content types 415.
    const big = await request(c, 'POST', '/api/v1/namespaces/default/configmaps', Buffer.alloc(3 * 1024 * 1024 + 10, 'a'));
    expect(big.status).toBe(413);
    const weird = await request(c, 'POST', '/api/v1/namespaces/default/configmaps', 'x', { 'content-type': 'text/plain' });
    expect(weird.status).toBe(415);
    // Still serving.
    expect(s.ok(['get', 'ns', 'default', '-o', 'name']).trim()).toBe('namespace/default');
  });
});

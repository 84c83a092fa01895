import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { serve, ServeError, type ServeIo, type RunningServe } from '../../../src-main/cli/serve';
import { LOCK_FILE } from '../../../src-main/cli/lock';
import type { ClusterOptions } from '../../../src-main/cluster';
import { startStubCluster, type StubCluster } from './stub-cluster';

let dir: string;
let running: RunningServe[] = [];
let blockers: Server[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubesim-serve-'));
});
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
  for (const b of blockers.splice(0)) b.close();
  rmSync(dir, { recursive: true, force: true });
});

function io(extra: Partial<ServeIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const clusters: StubCluster[] = [];
  const started: ClusterOptions[] = [];
  const value: ServeIo = {
    out: async (l) => {
      out.push(l);
    },
    err: (l) => err.push(l),
    startCluster: async (o) => {
      started.push(o);
      const c = await startStubCluster(o);
      clusters.push(c);
      return c;
    },
    platform: { platform: 'linux', env: {}, home: join(dir, 'home') },
    ...extra,
  };
  return { io: value, out, err, clusters, started };
}

async function occupy(): Promise<number> {
  const s = createServer();
  blockers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.address() as { port: number }).port;
}

describe('serve', () => {
  it('prints the API line, the UI line and ready, and writes a working kubeconfig', async () => {
    const t = io();
    const kc = join(dir, 'kc');
    const r = await serve({ dataDir: join(dir, 'data'), kubeconfig: kc, apiPort: 0, uiPort: 0, nodes: 3, fast: true, timeScale: 10 }, t.io);
    running.push(r);
    expect(t.out).toHaveLength(3);
    expect(t.out[0]).toMatch(/^API server: https:\/\/127\.0\.0\.1:\d+$/);
    expect(t.out[1]).toMatch(/^UI: http:\/\/127\.0\.0\.1:\d+\/\S*$/);
    expect(t.out[2]).toBe('ready');
    expect(t.started[0]).toMatchObject({ dataDir: join(dir, 'data'), apiPort: 0, uiPort: 0, nodes: 3, fast: true, timeScale: 10 });

    const config = parse(readFileSync(kc, 'utf8'));
    expect(config['current-context']).toBe('kubesim');
    expect(config.clusters[0].cluster.server).toBe(r.cluster.apiUrl);
    expect(existsSync(join(dir, 'data', LOCK_FILE))).toBe(true);

    // Real kubectl (Go TLS) accepts the CA, the serving cert and the token from that kubeconfig.
    // (Asynchronously: the stub serves from this process.)
    if (existsSync('/usr/bin/kubectl')) {
      const k = await new Promise<string>((done) =>
        execFile('/usr/bin/kubectl', ['--kubeconfig', kc, '--cache-dir', join(dir, 'cache'), 'get', '--raw', '/readyz'], { timeout: 30_000 }, (_e, stdout, stderr) => done(stdout + stderr)),
      );
      expect(k).toBe('ok');
    }

    await r.stop();
    expect(t.clusters[0].stopped).toBe(true);
    expect(existsSync(join(dir, 'data', LOCK_FILE))).toBe(false);
  });

  it('defaults: per-user data dir, 2 nodes, merge into ~/.kube/config with a note on stderr', async () => {
    const t = io();
    const r = await serve({ fast: false }, t.io);
    running.push(r);
    expect(r.dataDir).toBe(join(dir, 'home', '.local', 'share', 'kubesim'));
    expect(t.started[0]).toMatchObject({ nodes: 2, fast: false });
    expect(t.started[0].timeScale).toBeUndefined(); // the cluster's default: real time
    const kcPath = join(dir, 'home', '.kube', 'config');
    expect(r.kubeconfigPath).toBe(kcPath);
    expect(parse(readFileSync(kcPath, 'utf8'))['current-context']).toBe('kubesim');
    expect(t.err.join('\n')).toContain(`context 'kubesim' in ${kcPath}`);
    expect(t.out).toHaveLength(3);
  });

  it('fails fast when the data dir is in use, leaving the first one running', async () => {
    const first = await serve({ dataDir: join(dir, 'data'), kubeconfig: join(dir, 'kc'), apiPort: 0, uiPort: 0, fast: true }, io().io);
    running.push(first);
    const t = io();
    await expect(serve({ dataDir: join(dir, 'data'), kubeconfig: join(dir, 'kc2'), apiPort: 0, uiPort: 0, fast: true }, t.io)).rejects.toThrow(
      new ServeError(`the data dir ${join(dir, 'data')} is in use by another kubesim (pid ${process.pid}); stop it or pass another --data-dir`),
    );
    expect(t.started).toHaveLength(0);
    expect(t.out).toHaveLength(0);
    expect(existsSync(join(dir, 'kc2'))).toBe(false);
    expect(existsSync(join(dir, 'data', LOCK_FILE))).toBe(true);
  });

  it('reuses the ports of the last run on this data dir, and picks free ones when they are taken', async () => {
    const data = join(dir, 'data');
    const a = await serve({ dataDir: data, kubeconfig: join(dir, 'kc'), fast: true }, io().io);
    const api = a.cluster.apiUrl;
    const ui = new URL(a.cluster.uiUrl).port;
    await a.stop();

    const t = io();
    const b = await serve({ dataDir: data, kubeconfig: join(dir, 'kc'), fast: true }, t.io);
    running.push(b);
    expect(b.cluster.apiUrl).toBe(api);
    expect(new URL(b.cluster.uiUrl).port).toBe(ui);
    await b.stop();

    // Someone else took the API port meanwhile: a free one, no error.
    const s = createServer();
    blockers.push(s);
    await new Promise<void>((r) => s.listen(Number(new URL(api).port), '127.0.0.1', () => r()));
    const c = await serve({ dataDir: data, kubeconfig: join(dir, 'kc'), fast: true }, io().io);
    running.push(c);
    expect(c.cluster.apiUrl).not.toBe(api);
  });

  it('says which explicit port is taken and releases the data dir', async () => {
    const port = await occupy();
    const t = io();
    await expect(serve({ dataDir: join(dir, 'data'), kubeconfig: join(dir, 'kc'), apiPort: port, uiPort: 0, fast: true }, t.io)).rejects.toThrow(
      `port ${port} on 127.0.0.1 is in use; pass another --api-port (0 picks a free port)`,
    );
    expect(existsSync(join(dir, 'data', LOCK_FILE))).toBe(false);
    const ui = await occupy();
    await expect(serve({ dataDir: join(dir, 'data'), kubeconfig: join(dir, 'kc'), apiPort: 0, uiPort: ui, fast: true }, io().io)).rejects.toThrow(/--ui-port/);
  });

  it('stops the cluster and releases the lock when the kubeconfig cannot be written', async () => {
    const t = io();
    const bad = join(dir, 'kc');
    writeFileSync(bad, 'clusters: [unclosed');
    await expect(serve({ dataDir: join(dir, 'data'), kubeconfig: bad, apiPort: 0, uiPort: 0, fast: true }, t.io)).rejects.toThrow(/cannot add the kubesim context/);
    expect(t.clusters[0].stopped).toBe(true);
    expect(existsSync(join(dir, 'data', LOCK_FILE))).toBe(false);
    expect(t.out).not.toContain('ready');
  });

  it('does not print ready until the probe passes', async () => {
    const order: string[] = [];
    const t = io({
      probe: async () => {
        order.push('probe');
      },
    });
    t.io.out = async (l) => {
      order.push(l.split(':')[0]);
    };
    running.push(await serve({ dataDir: join(dir, 'data'), kubeconfig: join(dir, 'kc'), apiPort: 0, uiPort: 0, fast: true }, t.io));
    expect(order).toEqual(['API server', 'UI', 'probe', 'ready']);
  });
});

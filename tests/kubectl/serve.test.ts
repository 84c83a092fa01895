/**
 * `kubesim serve` as users run it (node bin/kubesim.js, the built CLI): the three output lines,
 * real kubectl through the written kubeconfig, one kubesim per data dir, clean stop on SIGTERM,
 * and a restart on the same data dir that keeps an existing kubeconfig working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ensureBuilt, KUBECTL, ROOT, table } from './harness';

const BIN = join(ROOT, 'bin/kubesim.js');
let dir: string;
const procs: ChildProcess[] = [];

interface Running {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

function serve(args: string[]): Running {
  const proc = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: join(dir, 'home'), KUBECONFIG: '' } });
  procs.push(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return { proc, out: () => out, err: () => err, exit: new Promise((r) => proc.once('exit', (code) => r(code))) };
}

async function ready(r: Running): Promise<void> {
  const until = Date.now() + 30_000;
  while (!/^ready$/m.test(r.out())) {
    if (r.proc.exitCode !== null) throw new Error(`kubesim serve exited with ${r.proc.exitCode}:\n${r.out()}${r.err()}`);
    if (Date.now() > until) throw new Error(`kubesim serve did not become ready:\n${r.out()}${r.err()}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

function kubectl(kubeconfig: string, args: string[], input?: string) {
  const r = spawnSync(KUBECTL.default, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'kube-cache'), ...args], { encoding: 'utf8', timeout: 60_000, input });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'kubesim-serve-'));
});
afterAll(() => {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('kubesim serve', () => {
  it('prints the API and UI lines and ready, serves kubectl, refuses a second serve on the data dir, stops on SIGTERM', async () => {
    const data = join(dir, 'data');
    const kc = join(dir, 'kc');
    const s = serve(['--data-dir', data, '--kubeconfig', kc, '--api-port', '0', '--ui-port', '0', '--fast']);
    await ready(s);

    const lines = s.out().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^API server: https:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[1]).toMatch(/^UI: http:\/\/127\.0\.0\.1:\d+\/\S*$/);
    expect(lines[2]).toBe('ready');

    const config = parse(readFileSync(kc, 'utf8'));
    expect(config['current-context']).toBe('kubesim');
    expect(config.clusters.find((c: { name: string }) => c.name === 'kubesim').cluster.server).toBe(lines[0].slice('API server: '.length));

    const nodes = kubectl(kc, ['get', 'nodes']);
    expect(nodes.stderr).toBe('');
    expect(nodes.code).toBe(0);
    const rows = table(nodes.stdout);
    expect(rows[0].slice(0, 5)).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['kubesim-control-plane', 'kubesim-worker', 'kubesim-worker2']);

    const second = spawnSync(process.execPath, [BIN, 'serve', '--data-dir', data, '--kubeconfig', join(dir, 'kc2'), '--fast'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(second.status).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain(`kubesim: the data dir ${data} is in use by another kubesim (pid ${s.proc.pid}); stop it or pass another --data-dir`);
    expect(existsSync(join(dir, 'kc2'))).toBe(false);

    s.proc.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  });

  it('restarts on the same data dir with the same port and CA: a copied kubeconfig keeps working', async () => {
    const data = join(dir, 'data-restart');
    const kc = join(dir, 'kc-restart');
    const a = serve(['--data-dir', data, '--kubeconfig', kc, '--nodes', '1', '--fast']);
    await ready(a);
    const created = kubectl(kc, ['create', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kept\n');
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('namespace/kept created');
    const copy = join(dir, 'kc-copy');
    copyFileSync(kc, copy);
    a.proc.kill('SIGINT');
    expect(await a.exit).toBe(0);

    const b = serve(['--data-dir', data, '--kubeconfig', kc, '--nodes', '1', '--fast']);
    await ready(b);
    expect(b.out().split('\n')[0]).toBe(a.out().split('\n')[0]);
    const ns = kubectl(copy, ['get', 'namespace', 'kept', '-o', 'name']);
    expect(ns.stderr).toBe('');
    expect(ns.stdout.trim()).toBe('namespace/kept');
    b.proc.kill('SIGTERM');
    expect(await b.exit).toBe(0);
  });

  it('merges into $HOME/.kube/config without --kubeconfig, keeping other contexts and a backup', async () => {
    const home = join(dir, 'home');
    const kubeDir = join(home, '.kube');
    const existing = 'apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster:\n    server: https://other.example:6443\ncontexts:\n- name: other\n  context:\n    cluster: other\n    user: other\nusers:\n- name: other\n  user:\n    token: abc\ncurrent-context: other\n';
    mkdirSync(kubeDir, { recursive: true });
    writeFileSync(join(kubeDir, 'config'), existing);
    const s = serve(['--data-dir', join(dir, 'data-merge'), '--api-port', '0', '--ui-port', '0', '--fast']);
    await ready(s);
    const cfgPath = join(kubeDir, 'config');
    const config = parse(readFileSync(cfgPath, 'utf8'));
    expect(config.contexts.map((c: { name: string }) => c.name)).toEqual(['other', 'kubesim']);
    expect(config['current-context']).toBe('kubesim');
    expect(readFileSync(cfgPath + '.kubesim-backup', 'utf8')).toBe(existing);
    expect(s.err()).toContain('switch back with: kubectl config use-context other');
    expect(kubectl(cfgPath, ['get', 'ns', 'default', '-o', 'name']).stdout.trim()).toBe('namespace/default');
    s.proc.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  });
});

/**
 * A real `kubesim serve --fast` for benchmarks: build the CLI if stale, spawn it on a fresh data
 * dir, wait for `ready`, talk HTTPS to it with the admin token, read its RSS and CPU time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import https from 'node:https';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin/kubesim.js');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const log = (line) => process.stderr.write(`bench: ${line}\n`);

function newestMtime(dir) {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) max = Math.max(max, newestMtime(p));
    else if (/\.(ts|json)$/.test(e.name)) max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

/** Rebuilds out/cli/kubesim.mjs when it is missing or older than the sources. */
export function ensureBuilt() {
  const out = join(ROOT, 'out/cli/kubesim.mjs');
  if (existsSync(out) && statSync(out).mtimeMs >= newestMtime(join(ROOT, 'src-main'))) return;
  log('building the CLI (scripts/build-cli.mjs)');
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-cli failed:\n${r.stderr}${r.stdout}`);
}

/**
 * Spawns `kubesim serve --fast` on a fresh data dir; resolves once it prints `ready`, with the
 * time from spawn to that line and what is needed to talk to it.
 */
export async function startServe(workDir, extraArgs = []) {
  const dataDir = mkdtempSync(join(workDir, 'data-'));
  const kubeconfig = join(dataDir, 'kubeconfig');
  const t0 = performance.now();
  const proc = spawn(process.execPath, [BIN, 'serve', '--fast', '--data-dir', dataDir, '--kubeconfig', kubeconfig, '--api-port', '0', '--ui-port', '0', ...extraArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBECONFIG: kubeconfig },
  });
  let out = '';
  let err = '';
  const exited = new Promise((r) => proc.once('exit', (code, signal) => r(code ?? signal)));
  const readyMs = await new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`kubesim serve was not ready within 60 s:\n${out}${err}`)), 60_000);
    proc.stdout.on('data', (d) => {
      out += d;
      if (/^ready$/m.test(out)) {
        clearTimeout(timer);
        done(performance.now() - t0);
      }
    });
    proc.stderr.on('data', (d) => (err += d));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`kubesim serve exited (${code}) before ready:\n${out}${err}`));
    });
  });
  const apiUrl = /^API server: (\S+)$/m.exec(out)[1];
  const pki = join(dataDir, 'pki');
  const conn = {
    url: new URL(apiUrl),
    ca: readFileSync(join(pki, 'ca.crt'), 'utf8'),
    token: readFileSync(join(pki, 'admin.token'), 'utf8').trim(),
  };
  return {
    proc,
    readyMs,
    conn,
    stderr: () => err,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

export function rssMb(pid) {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    /* not Linux */
  }
  const r = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  return Number(r.stdout.trim()) / 1024;
}

export function client(conn, maxSockets = 8) {
  const agent = new https.Agent({ keepAlive: true, maxSockets, ca: conn.ca });
  const request = (method, path, body, headers = {}) =>
    new Promise((done, fail) => {
      const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const req = https.request(
        {
          host: conn.url.hostname,
          port: conn.url.port,
          method,
          path,
          agent,
          ca: conn.ca,
          headers: {
            authorization: `Bearer ${conn.token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => done({ status: res.statusCode, body: Buffer.concat(chunks) }));
          res.on('error', fail);
        },
      );
      req.on('error', fail);
      req.end(payload);
    });
  /** A streaming GET (watch): `onChunk` gets the body as text as it arrives; returns the request. */
  const stream = (method, path, onChunk) => {
    const req = https.request({ host: conn.url.hostname, port: conn.url.port, method, path, agent, ca: conn.ca, headers: { authorization: `Bearer ${conn.token}`, accept: 'application/json' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', onChunk);
      res.on('error', (e) => req.emit('error', e));
    });
    req.end();
    return req;
  };
  return { agent, request, stream, close: () => agent.destroy() };
}

/**
 * A watch body's chunk handler: splits the text into lines and calls `onEvent` with each parsed
 * watch event; `onEvent` returning false stops the processing of that chunk.
 */
export function watchLines(onEvent) {
  let buf = '';
  return (chunk) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim() && onEvent(JSON.parse(line)) === false) return;
    }
  };
}

/** User + system CPU time of a process in seconds (Linux /proc). */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  // After the command: state is field 3, utime field 14, stime field 15 (1-based in proc(5)).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

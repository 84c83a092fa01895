#!/usr/bin/env node
/**
 * [`exec_roundtrip_ms`]: `kubectl exec <pod> -- echo hi` end to end (process start, GET pod,
 * upgrade, the exec in the simulated container, output, exit), p50 over repeated runs against a
 * real `kubesim serve --fast`. /usr/bin/kubectl (1.32) speaks WebSocket v5.channel.k8s.io; the same
 * with kubectl 1.27 (SPDY/3.1) is reported as `exec_roundtrip_spdy_ms` when that binary exists;
 * `exec_api_ms` is the same exec from a WebSocket client in this process (the server's share) and
 * `kubectl_start_ms` a bare `kubectl version --client` (the client's share).
 *
 *   node bench/exec.mjs [--runs 30]      (or: npm run bench -- --only exec)
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBuilt, log, sleep, startServe } from './serve-process.mjs';

const KUBECTL = '/usr/bin/kubectl';
const KUBECTL_SPDY = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';

/**
 * One exec over WebSocket v5 without kubectl (the API server's share of the figure): upgrade,
 * read the server's (unmasked) frames until its close frame, answer pings (as every RFC 6455
 * client does: the server holds its first frame until the client's pong) and the close.
 */
function wsExec(conn, path) {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: conn.url.hostname,
      port: conn.url.port,
      path,
      ca: conn.ca,
      headers: { Authorization: `Bearer ${conn.token}`, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' },
    });
    req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.on('error', reject);
    req.on('upgrade', (_res, socket, head) => {
      let buf = head;
      let stdout = '';
      const onData = (c) => {
        buf = Buffer.concat([buf, c]);
        while (buf.length >= 2) {
          let len = buf[1] & 0x7f;
          let off = 2;
          if (len === 126) {
            if (buf.length < 4) return;
            len = buf.readUInt16BE(2);
            off = 4;
          }
          if (buf.length < off + len) return;
          const op = buf[0] & 0x0f;
          const payload = buf.subarray(off, off + len);
          buf = buf.subarray(off + len);
          if (op === 2 && payload[0] === 1) stdout += payload.subarray(1).toString();
          // masked pong (zero key) echoing the ping's payload (≤ 125 bytes for control frames)
          if (op === 9) socket.write(Buffer.concat([Buffer.from([0x8a, 0x80 | payload.length, 0, 0, 0, 0]), payload]));
          if (op === 8) {
            // masked close reply
            socket.end(Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8]));
            resolve(stdout);
            return;
          }
        }
      };
      socket.on('data', onData);
      if (head.length) onData(Buffer.alloc(0));
      socket.on('error', reject);
    });
    req.end();
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function kubeconfigFor(conn, dir) {
  const path = join(dir, 'kubeconfig');
  const ca = Buffer.from(conn.ca).toString('base64');
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: kubesim\n  cluster:\n    server: ${conn.url.origin}\n    certificate-authority-data: ${ca}\nusers:\n- name: admin\n  user:\n    token: ${conn.token}\ncontexts:\n- name: kubesim\n  context: {cluster: kubesim, user: admin}\ncurrent-context: kubesim\n`,
  );
  return path;
}

/** Runs the benchmark on its own `kubesim serve`; adds its figures to `figures`. */
export async function benchExec(workDir, figures, { runs = 30 } = {}) {
  ensureBuilt();
  const dir = mkdtempSync(join(workDir, 'exec-'));
  const server = await startServe(dir);
  try {
    const kubeconfig = kubeconfigFor(server.conn, dir);
    const base = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')];
    const kubectl = (bin, args) => spawnSync(bin, [...base, ...args], { encoding: 'utf8', timeout: 30_000 });
    const created = kubectl(KUBECTL, ['run', 'bench-exec', '--image=busybox:1.36', '--', 'sleep', '3600']);
    if (created.status !== 0) throw new Error(`kubectl run failed: ${created.stderr}`);
    for (let i = 0; ; i++) {
      if (kubectl(KUBECTL, ['get', 'pod', 'bench-exec', '-o', 'jsonpath={.status.phase}']).stdout === 'Running') break;
      if (i > 150) throw new Error('pod bench-exec did not start');
      await sleep(200);
    }
    const measure = (bin) => {
      const times = [];
      for (let i = 0; i < runs + 3; i++) {
        const t0 = performance.now();
        const r = kubectl(bin, ['exec', 'bench-exec', '--', 'echo', 'hi']);
        const ms = performance.now() - t0;
        if (r.status !== 0 || r.stdout !== 'hi\n') throw new Error(`kubectl exec failed (${r.status}): ${r.stderr}${r.stdout}`);
        if (i >= 3) times.push(ms); // the first runs warm the discovery cache
      }
      return Math.round(median(times) * 10) / 10;
    };
    figures.exec_roundtrip_ms = measure(KUBECTL);
    log(`exec: p50 ${figures.exec_roundtrip_ms} ms over ${runs} runs (WebSocket v5)`);
    if (existsSync(KUBECTL_SPDY)) {
      figures.exec_roundtrip_spdy_ms = measure(KUBECTL_SPDY);
      log(`exec: p50 ${figures.exec_roundtrip_spdy_ms} ms over ${runs} runs (kubectl 1.27, SPDY/3.1)`);
    }
    const api = [];
    for (let i = 0; i < runs + 3; i++) {
      const t0 = performance.now();
      const out = await wsExec(server.conn, '/api/v1/namespaces/default/pods/bench-exec/exec?command=echo&command=hi&stdout=true&stderr=true');
      if (out !== 'hi\n') throw new Error(`exec over WebSocket answered ${JSON.stringify(out)}`);
      if (i >= 3) api.push(performance.now() - t0);
    }
    figures.exec_api_ms = Math.round(median(api) * 10) / 10;
    log(`exec: p50 ${figures.exec_api_ms} ms for the API server's part (WebSocket upgrade → exit status, no kubectl)`);
    // What a bare kubectl process costs here (no API call), for reading the figures.
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) spawnSync(KUBECTL, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
    figures.kubectl_start_ms = Math.round(((performance.now() - t0) / 5) * 10) / 10;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' } } });
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-bench-exec-'));
  try {
    console.log(JSON.stringify(await benchExec(dir, {}, { runs: Number(values.runs) }), null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

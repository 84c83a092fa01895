/**
 * exec, attach-style stdin and port-forward with real kubectl against `kubesim serve --fast`:
 * kubectl 1.27 (SPDY/3.1), 1.32 and 1.33 (WebSocket v5 exec; port-forward tunnelled SPDY over
 * WebSocket), exit codes, -c, piped stdin, the upstream errors, and port-forward to pod, service and
 * deployment with concurrent connections and the error when nothing listens on the remote port
 * (after which kubectl, as upstream's client-go does, drops the connection and exits).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { KUBECTL, eventually, useServe } from './harness';

const s = useServe();
const V132 = KUBECTL.default;
const VERSIONS: [string, string][] = [
  ['1.27', KUBECTL.v127],
  ['1.32', V132],
  ['1.33', KUBECTL.v133],
];

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function get(port: number): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('error', (e) => resolve({ error: e.message }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

/** Starts `kubectl port-forward` and waits for its `Forwarding from` line. */
async function portForward(bin: string, args: string[]): Promise<{ child: ChildProcess; out: () => string; err: () => string }> {
  const child = spawn(bin, ['--kubeconfig', s.kubeconfig, '--cache-dir', s.cacheDir, 'port-forward', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await eventually(`port-forward ${args.join(' ')} ready (${err})`, () => out.includes('Forwarding from') || child.exitCode !== null, 20_000);
  if (child.exitCode !== null) throw new Error(`kubectl port-forward exited: ${err}`);
  return { child, out: () => out, err: () => err };
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
  - name: side
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
`;

describe('kubectl exec', () => {
  it('setup: a deployment of nginx with a service, and a two-container busybox pod', async () => {
    s.ok(['create', 'deployment', 'web', '--image=nginx:1.25']);
    s.ok(['expose', 'deployment', 'web', '--port=8080', '--target-port=80']);
    s.ok(['apply', '-f', '-'], { stdin: POD });
    await eventually('pods running', () => {
      const out = s.kubectl(['get', 'pods', '-o', 'jsonpath={range .items[*]}{.status.phase}{"\\n"}{end}']).stdout;
      return out.trim().split('\n').length === 2 && out.trim().split('\n').every((l) => l === 'Running');
    }, 30_000);
  });

  for (const [v, bin] of VERSIONS) {
    it(`${v}: exec -- echo hi, exit codes, -c, piped stdin`, () => {
      const hi = s.kubectl(['exec', 'two', '-c', 'main', '--', 'echo', 'hi'], { bin });
      expect(hi).toMatchObject({ code: 0, stdout: 'hi\n' });
      const side = s.kubectl(['exec', 'two', '-c', 'side', '--', 'sh', '-c', 'echo from-side; echo to-stderr >&2'], { bin });
      expect(side.stdout).toBe('from-side\n');
      expect(side.stderr).toBe('to-stderr\n');
      const exit3 = s.kubectl(['exec', 'two', '-c', 'main', '--', 'sh', '-c', 'exit 3'], { bin });
      expect(exit3.code).toBe(3);
      expect(exit3.stderr).toBe('command terminated with exit code 3\n');
      const cat = s.kubectl(['exec', '-i', 'two', '-c', 'main', '--', 'cat'], { bin, stdin: 'abc\n' });
      expect(cat).toMatchObject({ code: 0, stdout: 'abc\n' });
    });
  }

  for (const [v, bin] of [VERSIONS[0], VERSIONS[2]]) {
    it(`${v}: half a megabyte through stdin and back`, () => {
      const line = 'the quick brown fox jumps over the lazy dog 0123456789\n';
      const input = line.repeat(Math.ceil(500_000 / line.length));
      const r = s.kubectl(['exec', '-i', 'two', '-c', 'main', '--', 'cat'], { bin, stdin: input });
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBe(input.length);
      expect(r.stdout === input).toBe(true);
    });
  }

  it('the default container, with kubectl naming it', () => {
    const r = s.kubectl(['exec', 'two', '--', 'echo', 'ok']);
    expect(r.stdout).toBe('ok\n');
    expect(r.stderr).toBe('Defaulted container "main" out of: main, side\n');
  });

  for (const [v, bin] of [VERSIONS[0], VERSIONS[2]]) {
    it(`${v}: missing container, missing pod, missing executable`, () => {
      const c = s.kubectl(['exec', 'two', '-c', 'foo', '--', 'echo'], { bin });
      expect(c.code).toBe(1);
      expect(c.stderr).toContain('container foo is not valid for pod two');
      const p = s.kubectl(['exec', 'nope', '--', 'echo'], { bin });
      expect(p.code).toBe(1);
      expect(p.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
      const bin404 = s.kubectl(['exec', 'two', '-c', 'main', '--', 'nosuchcmd'], { bin });
      expect(bin404.code).toBe(1);
      expect(bin404.stderr).toMatch(/^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchcmd": executable file not found in \$PATH: unknown\n$/);
    });
  }
});

/**
 * kubectl with a terminal: `script` gives it a pty; keystrokes go in through script's stdin. The
 * marker is quoted so that the echo of the typed line and the command's output differ.
 */
function withTerminal(bin: string, args: string[], keys: string[]): Promise<{ code: number | null; out: string }> {
  const cmd = [bin, '--kubeconfig', s.kubeconfig, '--cache-dir', s.cacheDir, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => {
    let i = 0;
    const next = () => {
      if (i < keys.length) child.stdin!.write(keys[i++]);
      if (i < keys.length) setTimeout(next, 700);
    };
    setTimeout(next, 1500);
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('kubectl with a terminal (-it)', () => {
  for (const [v, bin] of [VERSIONS[0], VERSIONS[2]]) {
    it(`${v}: exec -it gives a shell; its exit code comes back`, async () => {
      const r = await withTerminal(bin, ['exec', '-it', 'two', '-c', 'main', '--', 'sh'], ['echo he""llo\r', 'exit 3\r']);
      expect(r.out).toContain('/ # echo he""llo\r\nhello\r\n/ # exit 3\r\n');
      expect(r.out).toContain('command terminated with exit code 3');
      expect(r.code).toBe(3);
    });

    it(`${v}: run -it --rm attaches to the new pod and deletes it after`, async () => {
      const name = `tmp-${v.replace('.', '-')}`;
      const r = await withTerminal(bin, ['run', name, '-it', '--rm', '--restart=Never', '--image=busybox:1.36', '--', 'sh'], ['echo in""side\r', 'exit\r']);
      expect(r.out).toContain("If you don't see a command prompt, try pressing enter.");
      expect(r.out).toContain('inside\r\n');
      expect(r.out).toContain(`pod "${name}" deleted`);
      expect(r.code).toBe(0);
    });
  }
});

describe('kubectl port-forward', () => {
  for (const [v, bin] of [VERSIONS[0], VERSIONS[2]]) {
    for (const target of ['pod', 'svc/web', 'deploy/web']) {
      it(`${v}: ${target} LOCAL:REMOTE with two concurrent requests`, async () => {
        const local = await freePort();
        const podName = s.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
        const ref = target === 'pod' ? `pod/${podName}` : target;
        const remote = target === 'svc/web' ? 8080 : 80;
        const pf = await portForward(bin, [ref, `${local}:${remote}`]);
        try {
          expect(pf.out()).toContain(`Forwarding from 127.0.0.1:${local} -> 80`);
          const [a, b] = await Promise.all([get(local), get(local)]);
          for (const r of [a, b]) {
            expect(r).toMatchObject({ status: 200 });
            expect('body' in r && r.body).toContain('Welcome to nginx!');
          }
          expect(pf.out()).toContain(`Handling connection for ${local}`);
        } finally {
          pf.child.kill();
        }
      });
    }

    it(`${v}: nothing listening on the remote port: the kubelet's error text, then kubectl gives up as upstream's does`, async () => {
      const local = await freePort();
      const podName = s.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
      const pf = await portForward(bin, [`pod/${podName}`, `${local}:81`]);
      const r = await get(local);
      expect('error' in r).toBe(true);
      // client-go's handleConnection logs the error-stream text and closes the connection to the
      // API server after it (kubectl ≥1.23): `error: lost connection to pod`, exit 1.
      await eventually('kubectl to exit', () => pf.child.exitCode !== null, 10_000);
      expect(pf.child.exitCode).toBe(1);
      const text = pf.err().replace(/\\"/g, '"');
      expect(text).toMatch(
        new RegExp(
          `^E\\d{4} [\\d:.]+ +\\d+ portforward\\.go:\\d+\\] .*an error occurred forwarding ${local} -> 81: error forwarding port 81 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "/var/run/netns/cni-[0-9a-f-]+": failed to connect to localhost:81 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\\.0\\.0\\.1:81: connect: connection refused IPv6 dial tcp6 \\[::1\\]:81: connect: connection refused `,
          'm',
        ),
      );
      expect(text).toMatch(/error: lost connection to pod\n$/);
    });
  }
});

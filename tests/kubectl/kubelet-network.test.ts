/**
 * The kubelet on the network through real kubectl against `kubesim serve --fast`: exec (exit
 * codes, stdin, the missing-binary text), `kubectl run -i --rm` attaching to a busybox shell,
 * port-forward into the pod's namespace (and containerd's text when nothing listens), and pods
 * keeping their IPs and sockets across a restart of kubesim.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KUBECTL, eventually, useServe } from './harness';

const s = useServe();

const jsonpath = (kind: string, name: string, path: string) => s.kubectl(['get', kind, name, '-o', `jsonpath=${path}`]).stdout;

function httpGet(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

/** `kubectl port-forward` in the background; resolves with the local port it printed. */
async function portForward(args: string[], bin = KUBECTL.default): Promise<{ port: number; proc: ChildProcess; output: () => string }> {
  const proc = spawn(bin, ['--kubeconfig', s.kubeconfig, '--cache-dir', s.cacheDir, 'port-forward', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await eventually('port-forward listening', () => /Forwarding from 127\.0\.0\.1:\d+/.test(out));
  return { port: Number(/Forwarding from 127\.0\.0\.1:(\d+)/.exec(out)![1]), proc, output: () => out };
}

describe('kubelet network features with kubectl', () => {
  it('exec: output, exit codes, stdin, and the upstream text for a missing binary', async () => {
    s.ok(['run', 'box', '--image=busybox:1.36', '--', 'sleep', '3600']);
    await eventually('box Running', () => jsonpath('pod', 'box', '{.status.phase}') === 'Running');
    expect(s.ok(['exec', 'box', '--', 'sh', '-c', 'echo $HOSTNAME; hostname -i'])).toBe(`box\n${jsonpath('pod', 'box', '{.status.podIP}')}\n`);
    const failed = s.kubectl(['exec', 'box', '--', 'sh', '-c', 'exit 3']);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toBe('command terminated with exit code 3\n');
    expect(s.ok(['exec', '-i', 'box', '--', 'cat'], { stdin: 'piped\ninput\n' })).toBe('piped\ninput\n');
    const missing = s.kubectl(['exec', 'box', '--', 'foo']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not found in \$PATH: unknown/);
    const noContainer = s.kubectl(['exec', 'box', '-c', 'nope', '--', 'ls']);
    expect(noContainer.code).not.toBe(0);
    expect(noContainer.stderr).toContain('nope');
  });

  it('kubectl run -i --rm: attaches to the shell, runs what is typed, deletes the pod', async () => {
    const r = s.kubectl(['run', 'oneshot', '-i', '--rm', '--restart=Never', '--image=busybox:1.36', '--', 'sh'], { stdin: 'echo "hello from $HOSTNAME"\nexit 0\n' });
    expect(r.stdout).toContain('hello from oneshot\n');
    expect(r.stdout).toContain('pod "oneshot" deleted');
    expect(r.code).toBe(0);
    await eventually('oneshot gone', () => s.kubectl(['get', 'pod', 'oneshot']).code !== 0);
  });

  it('kubectl run -it --rm in a terminal: the busybox prompt, echo of what is typed, the command\'s output', async () => {
    // `script` gives kubectl a pseudo-terminal, as a user's shell would.
    const cmd = [KUBECTL.default, '--kubeconfig', s.kubeconfig, '--cache-dir', s.cacheDir, 'run', 'tty', '-it', '--rm', '--restart=Never', '--image=busybox:1.36', '--', 'sh'].join(' ');
    const proc = spawn('script', ['-qec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    try {
      await eventually('the attach hint', () => out.includes("If you don't see a command prompt, try pressing enter."), 30_000);
      proc.stdin!.write('\r');
      await eventually('a prompt', () => out.includes('/ # '));
      proc.stdin!.write('echo "tty says $((6*7))"\r');
      await eventually('the output', () => out.includes('tty says 42'));
      expect(out).toContain('echo "tty says $((6*7))"');
      proc.stdin!.write('exit\r');
      expect(await exited).toBe(0);
      expect(out).toContain('pod "tty" deleted');
    } finally {
      proc.kill();
    }
  });

  it('port-forward reaches localhost:<port> in the pod; a port nothing listens on gets containerd\'s error', async () => {
    s.ok(['run', 'web', '--image=nginx:1.25', '--port=80']);
    await eventually('web Running', () => jsonpath('pod', 'web', '{.status.phase}') === 'Running');
    const pf = await portForward(['pod/web', ':80']);
    try {
      const res = await httpGet(pf.port);
      expect(res.status).toBe(200);
      expect(res.body).toContain('Welcome to nginx!');
    } finally {
      pf.proc.kill();
    }
    const bad = await portForward(['pod/web', ':81']);
    try {
      await httpGet(bad.port).catch(() => undefined);
      await eventually('the forwarding error', () => bad.output().includes('failed to connect to localhost:81 inside namespace'));
      // kubectl logs it through klog, which escapes the quotes.
      expect(bad.output().replace(/\\"/g, '"')).toMatch(
        /error forwarding port 81 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "\/var\/run\/netns\/cni-[0-9a-f-]{36}": failed to connect to localhost:81 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\.0\.0\.1:81: connect: connection refused IPv6 dial tcp6 \[::1\]:81: connect: connection refused/,
      );
    } finally {
      bad.proc.kill();
    }
  });

  it('after a restart of kubesim the pods keep their IPs and answer on them again', async () => {
    const ip = jsonpath('pod', 'web', '{.status.podIP}');
    expect(ip).toMatch(/^10\.244\.\d+\.\d+$/);
    await s.stop();
    await s.start(join(s.dir, 'data'));
    await eventually('web Ready again', () => jsonpath('pod', 'web', '{.status.conditions[?(@.type=="Ready")].status}') === 'True' && jsonpath('pod', 'web', '{.status.containerStatuses[0].restartCount}') === '1', 30_000);
    expect(jsonpath('pod', 'web', '{.status.podIP}')).toBe(ip);
    await eventually('box Running again', () => jsonpath('pod', 'box', '{.status.containerStatuses[0].state.running.startedAt}') !== '', 30_000);
    expect(s.ok(['exec', 'box', '--', 'wget', '-qO-', `http://${ip}/`])).toContain('Welcome to nginx!');
  });
});

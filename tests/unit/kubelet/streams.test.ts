import { afterEach, describe, expect, it } from 'vitest';
import type { Duplex } from 'node:stream';
import { NODE_NAME, Node } from './harness';
import { Kubelet } from '../../../src-main/kubelet/kubelet';
import { createContainerRuntime } from '../../../src-main/runtime';
import { R } from '../../../src-main/client';
import type { ContainerStream, ContainerStreamRequest } from '../../../src-main/apiserver/node-connections';

let node: Node;
afterEach(async () => {
  await node?.stop();
});

function request(pod: string, uid: string, container: string, command: string[], o: Partial<ContainerStreamRequest> = {}): ContainerStreamRequest {
  return { namespace: 'default', pod, uid, container, command, stdin: false, stdout: true, stderr: true, tty: false, ...o };
}

/** Collects a session's output until it ends. */
async function collect(s: ContainerStream): Promise<{ stdout: string; stderr: string; exit: unknown }> {
  let stdout = '';
  let stderr = '';
  s.onStdout((c) => (stdout += c.toString()));
  s.onStderr((c) => (stderr += c.toString()));
  const exit = await s.exited;
  return { stdout, stderr, exit };
}

function readAll(sock: Duplex): Promise<string> {
  return new Promise((resolve, reject) => {
    let t = '';
    sock.on('data', (c: Buffer) => (t += c.toString()));
    sock.on('end', () => resolve(t));
    sock.on('error', reject);
  });
}

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise<void>((r) => setImmediate(r));
  expect(cond()).toBe(true);
}

describe('kubelet: port-forward', () => {
  it('connects to localhost:<port> inside the pod; nothing listening is containerd\'s error text', async () => {
    node = await new Node(true).start();
    const pod = await node.createPod('web', [{ name: 'web', command: ['serve', '8080'] }]);
    const sock = await node.kubelet.portForward({ namespace: 'default', pod: 'web', uid: pod.metadata.uid!, port: 8080 });
    const body = readAll(sock);
    sock.write('GET /x HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n');
    expect(await body).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\nConnection: close\r\n[\s\S]*\r\n\r\nok\n$/);
    expect(node.runtime.requests.at(-1)).toMatchObject({ url: '/x', remote: '127.0.0.1' });

    const err = await node.kubelet.portForward({ namespace: 'default', pod: 'web', uid: pod.metadata.uid!, port: 9999 }).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(err).toMatch(
      /^error forwarding port 9999 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "\/var\/run\/netns\/cni-[0-9a-f-]{36}": failed to connect to localhost:9999 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\.0\.0\.1:9999: connect: connection refused IPv6 dial tcp6 \[::1\]:9999: connect: connection refused $/,
    );
    await expect(node.kubelet.portForward({ namespace: 'default', pod: 'nope', uid: 'x', port: 80 })).rejects.toThrow('pod not found ("nope_default")');
  });

  it('the pod\'s namespace goes away with the pod: open connections end, its IP is free again', async () => {
    node = await new Node(true).start();
    const pod = await node.createPod('web', [{ name: 'web', command: ['serve', '8080'] }]);
    const ip = (await node.status('web')).podIP;
    expect(node.network.podNetwork(ip)?.pod).toMatchObject({ namespace: 'default', name: 'web', uid: pod.metadata.uid });
    const sock = await node.kubelet.portForward({ namespace: 'default', pod: 'web', uid: pod.metadata.uid!, port: 8080 });
    const closed = new Promise<string>((resolve) => {
      sock.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? ''));
      sock.on('close', () => resolve('closed'));
    });
    await node.admin.delete(R.pods, 'default', 'web', { gracePeriodSeconds: 0 });
    await node.settle();
    expect(['closed', 'ECONNRESET']).toContain(await closed);
    expect(sock.destroyed).toBe(true);
    expect(node.network.podNetwork(ip)).toBeUndefined();
  });
});

describe('kubelet: restart', () => {
  it('a new kubelet adopts the pod\'s IP and gives it a fresh namespace', async () => {
    node = await new Node(true).start();
    const pod = await node.createPod('web', [{ name: 'web', command: ['serve', '8080'] }]);
    const ip = (await node.status('web')).podIP;
    const before = node.network.podNetwork(ip);
    expect(before).toBeDefined();
    await node.kubelet.stop();
    expect(node.network.podNetwork(ip)).toBeUndefined();
    node.kubelet = new Kubelet({ client: node.nodeClient, node: { name: NODE_NAME, index: 1, controlPlane: false }, runtime: node.runtime, clock: node.clock, dataDir: node.dataDir, fast: true, network: node.network });
    await node.kubelet.start();
    await node.settle();
    expect((await node.status('web')).podIP).toBe(ip);
    expect(node.network.podNetwork(ip)).toBeDefined();
    expect(node.network.podNetwork(ip)).not.toBe(before);
    expect(await node.events('web')).toContain('SandboxChanged: Pod sandbox changed, it will be killed and re-created.');
    const sock = await node.kubelet.portForward({ namespace: 'default', pod: 'web', uid: pod.metadata.uid!, port: 8080 });
    const body = readAll(sock);
    sock.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(await body).toMatch(/^HTTP\/1\.1 200 OK/);
  });
});

describe('kubelet: hostNetwork pods', () => {
  it('share the node\'s namespace on its IP (podIP = hostIP); it closes with the last of them', async () => {
    node = await new Node(true).start();
    await node.createPod('h1', [{ name: 'a', command: ['serve', '9100'] }], { hostNetwork: true });
    await node.createPod('h2', [{ name: 'b', command: ['serve', '9200'] }], { hostNetwork: true });
    const st = await node.status('h1');
    expect(st.podIP).toBe('172.18.0.3');
    expect(st.hostIP).toBe('172.18.0.3');
    const ns = node.network.podNetwork('172.18.0.3')!;
    expect(ns.bindings().map((b) => b.port).sort()).toEqual([9100, 9200]);
    const conn = await node.network.connectFromNode('10.244.2.1', '172.18.0.3', 9200);
    conn.socket.destroy();
    await node.admin.delete(R.pods, 'default', 'h1', { gracePeriodSeconds: 0 });
    await node.settle();
    expect(node.network.podNetwork('172.18.0.3')).toBe(ns);
    await node.admin.delete(R.pods, 'default', 'h2', { gracePeriodSeconds: 0 });
    await node.settle();
    expect(node.network.podNetwork('172.18.0.3')).toBeUndefined();
  });
});

describe('kubelet: exec and attach', () => {
  it('exec runs in the container: output, exit code, the missing-binary error, container not found', async () => {
    node = await new Node(true, { runtime: createContainerRuntime() }).start();
    const pod = await node.createPod('box', [{ name: 'box', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }]);
    const uid = pod.metadata.uid!;
    expect((await node.status('box')).containerStatuses[0].state.running).toBeDefined();

    const ok = await collect(await node.kubelet.exec(request('box', uid, 'box', ['sh', '-c', 'echo out; echo err >&2; exit 3'])));
    expect(ok).toEqual({ stdout: 'out\n', stderr: 'err\n', exit: { exitCode: 3 } });

    const missing = await collect(await node.kubelet.exec(request('box', uid, 'box', ['foo'])));
    expect(missing.stdout + missing.stderr).toBe('');
    expect(missing.exit).toEqual({
      error: expect.stringMatching(/^failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not found in \$PATH: unknown$/),
    });

    await expect(node.kubelet.exec(request('box', uid, 'nope', ['ls']))).rejects.toThrow('container not found ("nope")');
  });

  it('exec -i: stdin streams in, EOF ends cat', async () => {
    node = await new Node(true, { runtime: createContainerRuntime() }).start();
    const pod = await node.createPod('box', [{ name: 'box', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }]);
    const s = await node.kubelet.exec(request('box', pod.metadata.uid!, 'box', ['cat'], { stdin: true }));
    const done = collect(s);
    s.writeStdin(Buffer.from('hello\n'));
    s.writeStdin(Buffer.from('world\n'));
    s.closeStdin();
    expect(await done).toEqual({ stdout: 'hello\nworld\n', stderr: '', exit: { exitCode: 0 } });
  });

  it('exec -it: a shell with a prompt; the client going away ends it', async () => {
    node = await new Node(true, { runtime: createContainerRuntime() }).start();
    const pod = await node.createPod('box', [{ name: 'box', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }]);
    const s = await node.kubelet.exec(request('box', pod.metadata.uid!, 'box', ['sh'], { stdin: true, tty: true, stderr: false }));
    let out = '';
    s.onStdout((c) => (out += c.toString()));
    await waitFor(() => out.includes('/ # '));
    s.writeStdin(Buffer.from('echo $((1+2))\r'));
    await waitFor(() => out.includes('3\r\n/ # '));
    s.close();
    expect(await s.exited).toEqual({ exitCode: expect.any(Number) });
  });

  it('exec -it: close() kills the session with its running job (137, nothing left in ps); resize reaches stty size', async () => {
    node = await new Node(true, { runtime: createContainerRuntime() }).start();
    const pod = await node.createPod('box', [{ name: 'box', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }]);
    const uid = pod.metadata.uid!;
    const s = await node.kubelet.exec(request('box', uid, 'box', ['sh'], { stdin: true, tty: true, stderr: false }));
    let out = '';
    s.onStdout((c) => (out += c.toString()));
    await waitFor(() => out.includes('/ # '));
    s.resize(100, 30);
    s.writeStdin(Buffer.from('stty size\r'));
    await waitFor(() => out.includes('30 100\r\n/ # '));
    s.writeStdin(Buffer.from('sleep 999\r'));
    const running = async () => (await collect(await node.kubelet.exec(request('box', uid, 'box', ['ps'])))).stdout;
    for (let i = 0; i < 50 && !(await running()).includes('sleep 999'); i++) await new Promise<void>((r) => setImmediate(r));
    expect(await running()).toContain('sleep 999');
    s.close();
    expect(await s.exited).toEqual({ exitCode: 137 });
    const ps = await running();
    expect(ps).not.toContain('sleep 999');
    expect(ps).not.toMatch(/ sh\n/);
  });

  it('pauseOutput holds a flood back (the writer waits, nothing is lost), resumeOutput lets it go on', async () => {
    node = await new Node(true, { runtime: createContainerRuntime() }).start();
    const pod = await node.createPod('box', [{ name: 'box', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }]);
    const s = await node.kubelet.exec(request('box', pod.metadata.uid!, 'box', ['yes']));
    let got = '';
    s.onStdout((c) => (got += c.toString()));
    const until = async (cond: () => boolean) => {
      // `yes` breathes on real 10 ms timers (Container.yieldCpu)
      for (let i = 0; i < 200 && !cond(); i++) await new Promise<void>((r) => setTimeout(r, 5));
      expect(cond()).toBe(true);
    };
    await until(() => got.length > 2_000);
    s.pauseOutput!();
    const atPause = got.length;
    await new Promise<void>((r) => setTimeout(r, 100));
    expect(got.length).toBe(atPause);
    s.resumeOutput!();
    // what was held while paused is one write of the blocked writer, not a growing backlog
    expect(got.length - atPause).toBeLessThanOrEqual(128);
    await until(() => got.length > atPause + 2_000);
    expect(/^(y\n)+$/.test(got)).toBe(true);
    s.close();
    expect(await s.exited).toEqual({ exitCode: 137 });
  });

  it('attach: the main process\'s live output and its stdin; stdinOnce closes it; the session ends with the container', async () => {
    node = await new Node(true).start();
    const pod = await node.createPod('cat', [{ name: 'cat', command: ['cat-stdin'], stdin: true, stdinOnce: true }], { restartPolicy: 'Never' });
    const s = await node.kubelet.attach(request('cat', pod.metadata.uid!, 'cat', [], { stdin: true }));
    let out = '';
    s.onStdout((c) => (out += c.toString()));
    s.writeStdin(Buffer.from('one\n'));
    await waitFor(() => out === 'one\n');
    s.writeStdin(Buffer.from('two\n'));
    await waitFor(() => out === 'one\ntwo\n');
    s.closeStdin();
    expect(await s.exited).toEqual({ exitCode: 0 });
    await node.settle();
    expect((await node.status('cat')).containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0 });
    // Attached output went to the log file as well.
    expect((await node.podLog('cat')).text).toBe('one\ntwo\n');
    await expect(node.kubelet.attach(request('cat', pod.metadata.uid!, 'cat', []))).rejects.toThrow('container cat not found in pod cat_default');
  });

  it('attach -it to a busybox shell (kubectl run -it): the prompt, echo and command output come live', async () => {
    node = await new Node(true, { runtime: createContainerRuntime() }).start();
    const pod = await node.createPod('sh', [{ name: 'sh', image: 'busybox:1.36', command: ['sh'], stdin: true, stdinOnce: true, tty: true }], { restartPolicy: 'Never' });
    const s = await node.kubelet.attach(request('sh', pod.metadata.uid!, 'sh', [], { stdin: true, tty: true, stderr: false }));
    let out = '';
    s.onStdout((c) => (out += c.toString()));
    s.writeStdin(Buffer.from('echo hi\r'));
    await waitFor(() => out.includes('hi\r\n/ # '));
    expect(out).toContain('echo hi\r\n');
    s.writeStdin(Buffer.from('exit 0\r'));
    expect(await s.exited).toEqual({ exitCode: 0 });
  });

  it('attach -it: resize sets the main shell\'s terminal size (stty size)', async () => {
    node = await new Node(true, { runtime: createContainerRuntime() }).start();
    const pod = await node.createPod('sh', [{ name: 'sh', image: 'busybox:1.36', command: ['sh'], stdin: true, stdinOnce: true, tty: true }], { restartPolicy: 'Never' });
    const s = await node.kubelet.attach(request('sh', pod.metadata.uid!, 'sh', [], { stdin: true, tty: true, stderr: false }));
    let out = '';
    s.onStdout((c) => (out += c.toString()));
    s.resize(132, 41);
    s.writeStdin(Buffer.from('stty size\r'));
    await waitFor(() => out.includes('41 132\r\n/ # '));
    s.resize(80, 24);
    s.writeStdin(Buffer.from('stty size\r'));
    await waitFor(() => out.includes('24 80\r\n/ # '));
    s.writeStdin(Buffer.from('exit 0\r'));
    expect(await s.exited).toEqual({ exitCode: 0 });
  });
});



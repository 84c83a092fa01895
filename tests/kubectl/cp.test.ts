/**
 * `kubectl cp` with real kubectl (1.32 and 1.27) against `kubesim serve --fast`: files and
 * directories to and from busybox and nginx pods through the container's tar (kubectl's Go
 * archive/tar on the other end), tar's messages and kubectl's own errors; `kubectl exec … curl`
 * in a luksa/kubia pod (Kubernetes in Action, chapter 5); binary files (256 KiB of random bytes)
 * through cp, `exec -i` stdin and exec stdout, byte for byte.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KUBECTL, useServe } from './harness';
import { podsRunningWithEndpoint } from './workloads-helpers';

const s = useServe();
const local = mkdtempSync(join(tmpdir(), 'kubesim-cp-'));

const PODS = `apiVersion: v1
kind: Pod
metadata:
  name: bb
spec:
  containers:
  - name: bb
    image: busybox:1.36
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: kubia-pod
  labels:
    app: kubia
spec:
  containers:
  - name: kubia
    image: luksa/kubia
    ports:
    - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  selector:
    app: kubia
  ports:
  - port: 80
    targetPort: 8080
`;

const LONG = `${'a'.repeat(70)}/${'b'.repeat(60)}.txt`;

describe('kubectl cp', () => {
  it('setup: busybox, nginx and kubia pods running', async () => {
    s.ok(['apply', '-f', '-'], { stdin: PODS });
    await podsRunningWithEndpoint(s, 3, 'kubia');
  });

  for (const [label, bin] of [['1.32', KUBECTL.default], ['1.27', KUBECTL.v127]] as const) {
    it(`a local file to a pod path and back (kubectl ${label})`, () => {
      const src = join(local, `file-${label}.txt`);
      writeFileSync(src, 'grüße aus der Datei ✓\n'.repeat(2000));
      for (const pod of ['bb', 'web']) {
        const up = s.kubectl(['cp', src, `${pod}:/tmp/file`], { bin });
        expect(up).toEqual({ code: 0, stdout: '', stderr: '' });
        expect(s.kubectl(['exec', pod, '--', 'cat', '/tmp/file'], { bin }).stdout).toBe(readFileSync(src, 'utf8'));
        const back = join(local, `back-${pod}-${label}`);
        const down = s.kubectl(['cp', `${pod}:/tmp/file`, back], { bin });
        expect(down.code).toBe(0);
        // tar's stderr reaches kubectl's stdout unless kubectl is done with the archive first (upstream race)
        const removing = pod === 'bb' ? "tar: removing leading '/' from member names\n" : "tar: Removing leading `/' from member names\n";
        expect(['', removing]).toContain(down.stdout);
        expect(readFileSync(back, 'utf8')).toBe(readFileSync(src, 'utf8'));
        // what kubectl cp runs, on its own: the archive on stdout, the message on stderr
        const raw = s.kubectl(['exec', pod, '--', 'tar', 'cf', '-', '/tmp/file'], { bin });
        expect(raw.stderr).toBe(removing);
        expect(raw.stdout.startsWith('tmp/file\0')).toBe(true);
      }
    });
  }

  it('kubectl cp pod:/etc/hostname ./out', () => {
    const out = join(local, 'hostname-out');
    const r = s.kubectl(['cp', 'bb:/etc/hostname', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('bb\n');
  });

  it('into an existing directory of the pod, the file keeps its name', () => {
    const src = join(local, 'into-dir.txt');
    writeFileSync(src, 'in /tmp\n');
    expect(s.kubectl(['cp', src, 'web:/tmp']).code).toBe(0);
    expect(s.kubectl(['exec', 'web', '--', 'cat', '/tmp/into-dir.txt']).stdout).toBe('in /tmp\n');
  });

  it('a directory tree (nested, empty dir, long names) to a pod and back; --no-preserve', () => {
    const tree = join(local, 'tree');
    mkdirSync(join(tree, 'sub/empty'), { recursive: true });
    mkdirSync(join(tree, 'a'.repeat(70)), { recursive: true });
    writeFileSync(join(tree, 'top.txt'), 'top\n');
    writeFileSync(join(tree, 'sub/inner.txt'), 'inner ünïcode\n');
    writeFileSync(join(tree, LONG), 'long name\n');
    for (const pod of ['bb', 'web']) {
      expect(s.kubectl(['cp', tree, `${pod}:/tmp/tree`])).toEqual({ code: 0, stdout: '', stderr: '' });
      const ls = s.kubectl(['exec', pod, '--', 'sh', '-c', `cat /tmp/tree/top.txt /tmp/tree/sub/inner.txt /tmp/tree/${LONG} && ls /tmp/tree/sub`]);
      expect(ls.stdout).toBe('top\ninner ünïcode\nlong name\nempty\ninner.txt\n');
      const back = join(local, `tree-back-${pod}`);
      const r = s.kubectl(['cp', `${pod}:/tmp/tree`, back]);
      expect(r.code).toBe(0);
      expect(readdirSync(back).sort()).toEqual(['a'.repeat(70), 'sub', 'top.txt']);
      expect(readdirSync(join(back, 'sub')).sort()).toEqual(['empty', 'inner.txt']);
      expect(readFileSync(join(back, LONG), 'utf8')).toBe('long name\n');
    }
    expect(s.kubectl(['cp', '--no-preserve', join(tree, 'top.txt'), 'bb:/tmp/np.txt'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(s.kubectl(['exec', 'bb', '--', 'cat', '/tmp/np.txt']).stdout).toBe('top\n');
  });

  it('missing paths: kubectl\'s and tar\'s messages', () => {
    const noLocal = s.kubectl(['cp', join(local, 'nope'), 'bb:/tmp/x']);
    expect(noLocal).toEqual({ code: 1, stdout: '', stderr: `error: ${join(local, 'nope')} doesn't exist in local filesystem\n` });
    // kubectl stops at the empty archive's end, racing tar's messages and exit status (upstream too): nothing is created
    s.kubectl(['cp', 'web:/nope', join(local, 'x1')]);
    s.kubectl(['cp', 'bb:/nope', join(local, 'x2')]);
    expect(readdirSync(local).filter((f) => f === 'x1' || f === 'x2')).toEqual([]);
    expect(s.kubectl(['exec', 'web', '--', 'tar', 'cf', '-', '/nope'])).toMatchObject({
      code: 2,
      stderr: "tar: Removing leading `/' from member names\ntar: /nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\ncommand terminated with exit code 2\n",
    });
    expect(s.kubectl(['exec', 'bb', '--', 'tar', 'cf', '-', '/nope'])).toMatchObject({
      code: 1,
      stderr: 'tar: /nope: No such file or directory\ntar: error exit delayed from previous errors\ncommand terminated with exit code 1\n',
    });
    const noDir = s.kubectl(['cp', join(local, 'into-dir.txt'), 'web:/no/such/dir/f']);
    expect(noDir.stdout + noDir.stderr).toContain('tar: /no/such/dir: Cannot open: No such file or directory\n');
    expect(noDir.code).not.toBe(0);
  });

  it('stty size in kubectl exec -it shows the local terminal\'s size (kubectl sends it as a resize)', async () => {
    // a pty of 37 rows × 111 columns (util-linux script; stty sets its size before kubectl starts)
    const cmd = `stty rows 37 cols 111; ${KUBECTL.default} --kubeconfig ${s.kubeconfig} --cache-dir ${s.cacheDir} exec -it bb -- sh`;
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TERM: 'xterm' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number>((r) => child.once('exit', (code) => r(code ?? -1)));
    const waitFor = async (what: string) => {
      const end = Date.now() + 20_000;
      while (!out.includes(what)) {
        if (Date.now() > end) throw new Error(`terminal never showed ${what}:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor('/ # ');
    child.stdin.write('stty size\r');
    await waitFor('37 111\r\n');
    child.stdin.write('exit\r');
    expect(await exited).toBe(0);
  });

  it('stty size on kubectl exec without -t: not a tty', () => {
    const r = s.kubectl(['exec', 'bb', '--', 'stty', 'size']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'stty: standard input: Not a tty\ncommand terminated with exit code 1\n' });
  });

  it('curl in luksa/kubia (node on buildpack-deps): kubectl exec kubia-pod -- curl -s http://kubia (the book\'s check of a Service)', () => {
    expect(s.kubectl(['exec', 'kubia-pod', '--', 'curl', '-s', 'http://kubia'])).toEqual({ code: 0, stdout: "You've hit kubia-pod\n", stderr: '' });
    const ip = s.ok(['get', 'svc', 'kubia', '-o', 'jsonpath={.spec.clusterIP}']);
    expect(s.kubectl(['exec', 'kubia-pod', '--', 'curl', '-s', `http://${ip}`]).stdout).toBe("You've hit kubia-pod\n");
    expect(s.kubectl(['exec', 'web', '--', 'curl', '-s', 'http://kubia.default.svc.cluster.local'])).toEqual({ code: 0, stdout: "You've hit kubia-pod\n", stderr: '' });
    const webIp = s.ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']);
    expect(s.kubectl(['exec', 'kubia-pod', '--', 'curl', '-s', `http://${webIp}`]).stdout).toContain('<title>Welcome to nginx!</title>');
    expect(s.kubectl(['exec', 'kubia-pod', '--', 'curl', '-s', 'http://no-such-svc'])).toEqual({ code: 6, stdout: '', stderr: 'command terminated with exit code 6\n' });
    // the pod's own name resolves through its kubelet-managed /etc/hosts to its own IP, where nothing listens on 80 (curl: (7))
    expect(s.kubectl(['exec', 'kubia-pod', '--', 'curl', '-sS', 'http://kubia-pod'])).toMatchObject({ code: 7 });
  });

  // Bytes, not text: 256 KiB of random bytes (invalid UTF-8 included) through cp, exec stdin and exec stdout.
  const BLOB = Buffer.concat([Buffer.from([0xff, 0x80, 0xc3, 0x28]), randomBytes(256 * 1024 - 4)]);
  const BLOB_SHA = createHash('sha256').update(BLOB).digest('hex');
  /** kubectl with binary stdin/stdout (the harness's kubectl() is text). */
  const kubectlBytes = (args: string[], stdin?: Buffer, bin: string = KUBECTL.default) => {
    const r = spawnSync(bin, ['--kubeconfig', s.kubeconfig, '--cache-dir', s.cacheDir, ...args], { input: stdin, timeout: 60_000, env: { ...process.env, KUBECONFIG: s.kubeconfig } });
    return { code: r.status ?? -1, stdout: r.stdout ?? Buffer.alloc(0), stderr: r.stderr?.toString() ?? '' };
  };

  for (const [label, bin] of [['1.32', KUBECTL.default], ['1.27', KUBECTL.v127]] as const) {
    it(`a binary file survives kubectl cp to a pod and back (kubectl ${label}; busybox and GNU tar)`, () => {
      const src = join(local, `blob-${label}.bin`);
      writeFileSync(src, BLOB);
      for (const pod of ['bb', 'web']) {
        expect(s.kubectl(['cp', src, `${pod}:/tmp/blob.bin`], { bin })).toEqual({ code: 0, stdout: '', stderr: '' });
        expect(s.kubectl(['exec', pod, '--', 'sha256sum', '/tmp/blob.bin'], { bin }).stdout).toBe(`${BLOB_SHA}  /tmp/blob.bin\n`);
        const back = join(local, `blob-back-${pod}-${label}.bin`);
        expect(s.kubectl(['cp', `${pod}:/tmp/blob.bin`, back], { bin }).code).toBe(0);
        expect(createHash('sha256').update(readFileSync(back)).digest('hex')).toBe(BLOB_SHA);
      }
    });
  }

  it('kubectl exec -i pod -- sh -c "cat > f" < binfile, then kubectl exec pod -- cat f: the same bytes', () => {
    for (const pod of ['bb', 'web']) {
      expect(kubectlBytes(['exec', '-i', pod, '--', 'sh', '-c', 'cat > /tmp/piped.bin'], BLOB)).toMatchObject({ code: 0, stderr: '' });
      const out = kubectlBytes(['exec', pod, '--', 'cat', '/tmp/piped.bin']);
      expect(out.code).toBe(0);
      expect(createHash('sha256').update(out.stdout).digest('hex')).toBe(BLOB_SHA);
      expect(out.stdout.length).toBe(BLOB.length);
      // and through a pipe inside the container
      const piped = kubectlBytes(['exec', '-i', pod, '--', 'sh', '-c', 'cat | sha256sum'], BLOB);
      expect(piped.stdout.toString()).toBe(`${BLOB_SHA}  -\n`);
    }
  });

  it('exec -i into a reader that stops early (head -c 3 of 10 MiB): the rest of stdin is dropped, the API server goes on', () => {
    for (const pod of ['bb', 'web']) {
      const r = kubectlBytes(['exec', '-i', pod, '--', 'head', '-c', '3'], Buffer.concat(Array(40).fill(BLOB)));
      expect(r.code).toBe(0);
      expect(r.stdout.equals(BLOB.subarray(0, 3))).toBe(true);
    }
    expect(s.kubectl(['exec', 'bb', '--', 'echo', 'still here'])).toEqual({ code: 0, stdout: 'still here\n', stderr: '' });
  });

  it('exec stdout of random bytes: head -c 100 /dev/urandom, head -c 4096 /dev/zero, base64 -d', () => {
    const r1 = kubectlBytes(['exec', 'bb', '--', 'head', '-c', '100', '/dev/urandom']);
    const r2 = kubectlBytes(['exec', 'web', '--', 'head', '-c', '100', '/dev/urandom']);
    expect([r1.code, r1.stdout.length, r2.code, r2.stdout.length]).toEqual([0, 100, 0, 100]);
    expect(r1.stdout.equals(r2.stdout)).toBe(false);
    expect(kubectlBytes(['exec', 'bb', '--', 'head', '-c', '4096', '/dev/zero']).stdout.equals(Buffer.alloc(4096))).toBe(true);
    const b64 = BLOB.subarray(0, 3000).toString('base64');
    expect(kubectlBytes(['exec', '-i', 'bb', '--', 'base64', '-d'], Buffer.from(b64)).stdout.equals(BLOB.subarray(0, 3000))).toBe(true);
  });
});

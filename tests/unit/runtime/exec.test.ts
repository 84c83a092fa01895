import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src-main/client/clock';
import { Collector } from '../../../src-main/runtime/streams';
import { runtime, settle } from './harness';

function startRaw(image: string, opts: { stdin?: boolean; tty?: boolean; command?: string[] } = {}) {
  const l = runtime.lookup(image);
  if (!l.ok) throw new Error(l.message);
  const out: string[] = [];
  const c = runtime.startContainer({
    id: 'f'.repeat(64),
    name: 'c',
    image: l.image,
    command: opts.command,
    env: [{ name: 'MODE', value: 'test' }],
    tty: opts.tty ?? false,
    stdin: opts.stdin ?? false,
    pod: { namespace: 'default', name: 'p', uid: 'u', hostname: 'box', nodeName: 'n' },
    clock: new FakeClock(0),
    stdout: (s) => out.push(s),
    stderr: (s) => out.push(s),
  });
  return { c, out };
}

describe('stdin and exec', () => {
  it('with stdin open, busybox sh waits for commands and runs them as they arrive', async () => {
    const { c, out } = startRaw('busybox', { stdin: true });
    let done = false;
    void c.exited.then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    c.writeStdin('echo one\n');
    await settle();
    expect(out.join('')).toBe('one\n');
    c.writeStdin('for i in 1 2; do\necho $i\ndone\nexit 3\n');
    expect(await c.exited).toEqual({ exitCode: 3, reason: 'Error' });
    expect(out.join('')).toBe('one\n1\n2\n');
  });

  it('a tty: prompt, echo of typed keys, backspace, Ctrl-C, \\r\\n line ends, Ctrl-D', async () => {
    const { c, out } = startRaw('busybox', { stdin: true, tty: true });
    await settle();
    c.writeStdin('cd /tmpx\x7f\r');
    await settle();
    c.writeStdin('echo hi >&2\r');
    await settle();
    c.writeStdin('sleep 1\x03');
    await settle();
    c.writeStdin('\x04');
    // ^C at the prompt sets $? to 130 (ash and bash alike); end-of-file exits with it
    expect(await c.exited).toEqual({ exitCode: 130, reason: 'Error' });
    expect(out.join('')).toBe('/ # cd /tmpx\b \b\r\n/tmp # echo hi >&2\r\nhi\r\n/tmp # sleep 1^C\r\n/tmp # ');
  });

  it('exec runs a command in the running container with its env and filesystem', async () => {
    const { c } = startRaw('busybox', { command: ['sh', '-c', 'echo state > /tmp/f; sleep 3600'] });
    await settle();
    const out = new Collector();
    const io = { stdout: (s: string) => out.write(s), stderr: (s: string) => out.write(s) };
    const code = await c.exec(['sh', '-c', 'cat /tmp/f; echo $MODE $HOSTNAME; ps'], io);
    expect(code).toBe(0);
    expect(out.text).toBe('state\ntest box\nPID   USER     TIME  COMMAND\n    1 root      0:00 sh -c echo state > /tmp/f; sleep 3600\n    2 root      0:00 sleep 3600\n    3 root      0:00 sh -c cat /tmp/f; echo $MODE $HOSTNAME; ps\n    5 root      0:00 ps\n');
    const err = new Collector();
    expect(await c.exec(['bash'], { stdout: (s) => err.write(s), stderr: (s) => err.write(s) })).toBe(127);
    expect(await c.exec(['cat'], { stdin: 'piped\n', stdout: (s) => err.write(s), stderr: (s) => err.write(s) })).toBe(0);
    expect(err.text).toBe('OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown\npiped\n');
    expect(await c.exec(['cat', '/tmp/missing'], { stdout: (s) => err.write(s), stderr: (s) => err.write(s) })).toBe(1);
    expect(err.text.endsWith("cat: can't open '/tmp/missing': No such file or directory\n")).toBe(true);
    c.signal('SIGKILL');
    expect(await c.exec(['true'], { stdout: () => {}, stderr: () => {} })).toBe(126);
  });
});

describe('volume mounts', () => {
  it('an emptyDir shared by two containers of a pod (seed 003)', async () => {
    const { createEmptyDir } = await import('../../../src-main/runtime');
    const shared = createEmptyDir();
    const mk = (image: string, args?: string[]) => {
      const l = runtime.lookup(image);
      if (!l.ok) throw new Error(l.message);
      return runtime.startContainer({
        id: image.replace(/\W/g, '').padEnd(64, '0'),
        name: image,
        image: l.image,
        args,
        env: [],
        tty: false,
        stdin: false,
        pod: { namespace: 'default', name: 'test-pod', uid: 'u', hostname: 'test-pod', nodeName: 'n' },
        mounts: [{ mountPath: '/var/tmp/shared', fs: shared }],
        clock: new FakeClock(0),
        stdout: () => {},
        stderr: () => {},
      });
    };
    const web = mk('nginx:latest');
    const sleep = mk('busybox:latest', ['sleep', '99999999999']);
    await settle();
    const out = new Collector();
    const io = { stdout: (s: string) => out.write(s), stderr: (s: string) => out.write(s) };
    expect(await web.exec(['/bin/bash', '-c', 'echo Hello From Beyond The Wall > /var/tmp/shared/test'], io)).toBe(0);
    expect(await sleep.exec(['/bin/sh', '-c', 'cat /var/tmp/shared/test; ls /var/tmp'], io)).toBe(0);
    expect(out.text).toBe('Hello From Beyond The Wall\nshared\n');
    web.signal('SIGKILL');
    sleep.signal('SIGKILL');
  });

  it('subPath and readOnly mounts', async () => {
    const { createEmptyDir } = await import('../../../src-main/runtime');
    const vol = createEmptyDir();
    vol.mkdir('/conf');
    vol.writeFile('/conf/app.ini', 'x=1\n');
    const l = runtime.lookup('busybox');
    if (!l.ok) throw new Error(l.message);
    const out: string[] = [];
    const c = runtime.startContainer({
      id: 'a'.repeat(64),
      name: 'c',
      image: l.image,
      command: ['sh', '-c', 'cat /etc/app/app.ini; echo y=2 >> /etc/app/app.ini; echo $?'],
      env: [],
      tty: false,
      stdin: false,
      pod: { namespace: 'default', name: 'p', uid: 'u', hostname: 'p', nodeName: 'n' },
      mounts: [{ mountPath: '/etc/app', fs: vol, subPath: 'conf', readOnly: true }],
      clock: new FakeClock(0),
      stdout: (s) => out.push(s),
      stderr: (s) => out.push(s),
    });
    await c.exited;
    expect(out.join('')).toBe("x=1\nsh: can't create /etc/app/app.ini: Read-only file system\n2\n");
  });
});

describe('inspecting nginx from inside (seed 003)', () => {
  it('ps ax shows the master and workers, netstat -tlpn its sockets', async () => {
    const { c } = startRaw('nginx:latest');
    await settle();
    const out = new Collector();
    const io = { stdout: (s: string) => out.write(s), stderr: (s: string) => out.write(s) };
    expect(await c.exec(['ps', 'ax'], io)).toBe(0);
    expect(out.text).toBe(
      '  PID TTY      STAT   TIME COMMAND\n    1 ?        Ss     0:00 nginx: master process nginx -g daemon off;\n   29 ?        S      0:00 nginx: worker process\n   30 ?        S      0:00 nginx: worker process\n   31 ?        R      0:00 ps ax\n',
    );
    out.text = '';
    expect(await c.exec(['netstat', '-tlpn'], io)).toBe(0);
    expect(out.text).toBe(
      'Active Internet connections (only servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \ntcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      1/nginx: master pro\ntcp6       0      0 :::80                   :::*                    LISTEN      1/nginx: master pro\n',
    );
    c.signal('SIGKILL');
  });
});

describe('hostname -i', () => {
  it('prints the pod IP from the kubelet-managed /etc/hosts', async () => {
    const l = runtime.lookup('busybox');
    if (!l.ok) throw new Error(l.message);
    const out: string[] = [];
    const c = runtime.startContainer({
      id: 'b'.repeat(64),
      name: 'c',
      image: l.image,
      command: ['sh', '-c', 'hostname; hostname -i'],
      env: [],
      tty: false,
      stdin: false,
      pod: { namespace: 'default', name: 'web-0', uid: 'u', hostname: 'web-0', nodeName: 'n', podIP: '10.244.1.7' },
      clock: new FakeClock(0),
      stdout: (s) => out.push(s),
      stderr: (s) => out.push(s),
    });
    await c.exited;
    expect(out.join('')).toBe('web-0\n10.244.1.7\n');
  });
});

describe('exec -it', () => {
  it('an interactive shell in a running container: prompt, echo, output with \\r\\n', async () => {
    const { c } = startRaw('nginx');
    await settle();
    let out = '';
    const s = c.execInteractive(['/bin/bash'], { tty: true, stdout: (x) => (out += x), stderr: (x) => (out += x) });
    await settle();
    s.write('echo $HOSTNAME\r');
    await settle();
    s.write('exit 3\r');
    expect(await s.exited).toBe(3);
    expect(out).toBe('root@box:/# echo $HOSTNAME\r\nbox\r\nroot@box:/# exit 3\r\nexit\r\n');
    c.signal('SIGKILL');
  });

  it('exec -i without a tty streams piped input', async () => {
    const { c } = startRaw('busybox', { command: ['sleep', '3600'] });
    await settle();
    let out = '';
    const s = c.execInteractive(['sh'], { tty: false, stdout: (x) => (out += x), stderr: (x) => (out += x) });
    s.write('echo one\n');
    await settle();
    expect(out).toBe('one\n');
    s.write('echo two\n');
    s.close();
    expect(await s.exited).toBe(0);
    expect(out).toBe('one\ntwo\n');
    expect(await c.execInteractive(['nope'], { tty: false, stdout: () => {}, stderr: () => {} }).exited).toBe(127);
    c.signal('SIGKILL');
  });
});

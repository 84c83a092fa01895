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

  it('a tty shows the ash prompt', async () => {
    const { c, out } = startRaw('busybox', { stdin: true, tty: true });
    await settle();
    c.writeStdin('cd /tmp\n');
    await settle();
    c.closeStdin();
    await c.exited;
    expect(out.join('')).toBe('/ # /tmp # ');
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

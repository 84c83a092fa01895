import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src-main/client/clock';
import type { Container } from '../../../src-main/runtime/container';
import { LineDiscipline, Tty, TtyInput } from '../../../src-main/runtime/tty';
import { advance, runtime, settle } from './harness';

function startPod(image: string, command: string[] = ['sleep', '3600']) {
  const l = runtime.lookup(image);
  if (!l.ok) throw new Error(l.message);
  const clock = new FakeClock(0);
  const c = runtime.startContainer({
    id: 'e'.repeat(64),
    name: 'c',
    image: l.image,
    command,
    env: [],
    tty: false,
    stdin: false,
    pod: { namespace: 'default', name: 'test-pod', uid: 'u', hostname: 'test-pod', nodeName: 'n' },
    clock,
    stdout: () => {},
    stderr: () => {},
  }) as Container;
  return { c, clock };
}

async function shell(image: string, argv: string[]) {
  const { c, clock } = startPod(image);
  await settle();
  let out = '';
  const s = c.execInteractive(argv, { tty: true, stdout: (x) => (out += x), stderr: (x) => (out += x) });
  await settle();
  let code: number | undefined;
  void s.exited.then((x) => (code = x));
  return {
    c,
    clock,
    s,
    out: () => out,
    code: () => code,
    clear: () => (out = ''),
    type: async (keys: string) => {
      s.write(keys);
      await settle();
    },
  };
}

function sleeps(c: Container): number {
  return c.processes().filter((p) => p.argv[0] === 'sleep' && p.pid !== 1).length;
}

describe('terminal line discipline', () => {
  it('Ctrl-C kills the foreground sleep in bash; the shell prompts again and $? is 130', async () => {
    const t = await shell('nginx', ['/bin/bash']);
    await t.type('sleep 100\r');
    expect(sleeps(t.c)).toBe(1);
    await t.type('\x03');
    expect(sleeps(t.c)).toBe(0);
    expect(t.out()).toBe('root@test-pod:/# sleep 100\r\n^C\r\nroot@test-pod:/# ');
    t.clear();
    await t.type('echo $?\r');
    expect(t.out()).toBe('echo $?\r\n130\r\nroot@test-pod:/# ');
    // the sleep never finishes into the session later
    t.clear();
    await advance(t.clock, 200_000, 50_000);
    expect(t.out()).toBe('');
    expect(t.code()).toBeUndefined();
    t.c.signal('SIGKILL');
  });

  it('busybox ash: Ctrl-C ends a foreground loop and a pipeline; Ctrl-C at the prompt drops the line', async () => {
    const t = await shell('busybox', ['sh']);
    await t.type('while true; do sleep 1; done\r');
    await advance(t.clock, 3000, 500);
    await t.type('\x03');
    expect(t.out()).toBe('/ # while true; do sleep 1; done\r\n^C\r\n/ # ');
    t.clear();
    await t.type('echo half-typed\x03');
    expect(t.out()).toBe('echo half-typed^C\r\n/ # ');
    t.clear();
    await t.type('cat | wc -l\r');
    await t.type('\x03');
    await t.type('echo $?\r');
    expect(t.out()).toBe('cat | wc -l\r\n^C\r\n/ # echo $?\r\n130\r\n/ # ');
    expect(t.c.processes().map((p) => p.argv[0])).toEqual(['sleep', 'sh']);
    // the killed cat's read does not swallow what is typed next
    t.clear();
    await t.type('echo after\r');
    expect(t.out()).toBe('echo after\r\nafter\r\n/ # ');
    t.c.signal('SIGKILL');
  });

  it('Ctrl-C kills a program exec\'d without a shell (130), Ctrl-\\ a job with SIGQUIT (131)', async () => {
    const t = await shell('busybox', ['sleep', '100']);
    await t.type('\x03');
    await settle();
    expect(t.code()).toBe(130);
    expect(t.out()).toBe('^C');
    const b = await shell('nginx', ['/bin/bash']);
    await b.type('sleep 100\r');
    await b.type('\x1c');
    await b.type('echo $?\r');
    expect(b.out()).toBe('root@test-pod:/# sleep 100\r\n^\\Quit (core dumped)\r\nroot@test-pod:/# echo $?\r\n131\r\nroot@test-pod:/# ');
    b.c.signal('SIGKILL');
    t.c.signal('SIGKILL');
  });

  it('bash says exit when leaving by exit or Ctrl-D; ash does not; Ctrl-D in a nested shell ends only it', async () => {
    const t = await shell('nginx', ['/bin/bash']);
    await t.type('exit\r');
    expect(t.code()).toBe(0);
    expect(t.out()).toBe('root@test-pod:/# exit\r\nexit\r\n');
    const d = await shell('nginx', ['/bin/bash']);
    await d.type('bash\r');
    await d.type('\x04');
    expect(d.code()).toBeUndefined();
    await d.type('\x04');
    expect(d.code()).toBe(0);
    expect(d.out()).toBe('root@test-pod:/# bash\r\nroot@test-pod:/# exit\r\nroot@test-pod:/# exit\r\n');
    const a = await shell('busybox', ['sh']);
    await a.type('false\r');
    await a.type('\x04');
    expect(a.code()).toBe(1);
    expect(a.out()).toBe('/ # false\r\n/ # ');
    await a.type('exit 4\r');
    for (const x of [t, d, a]) x.c.signal('SIGKILL');
  });

  it('resize sets what stty size and $COLUMNS/$LINES report; kill ends the session and its jobs (137)', async () => {
    const t = await shell('nginx', ['/bin/bash']);
    t.s.resize!(120, 40);
    await t.type('stty size; echo $COLUMNS $LINES\r');
    expect(t.out()).toContain('40 120\r\n120 40\r\n');
    await t.type('sleep 1000\r');
    expect(sleeps(t.c)).toBe(1);
    t.clear();
    t.s.kill!();
    await settle();
    expect(t.code()).toBe(137);
    expect(sleeps(t.c)).toBe(0);
    expect(t.c.processes().map((p) => p.argv[0])).toEqual(['sleep']);
    await advance(t.clock, 2_000_000, 500_000);
    expect(t.out()).toBe('');
    t.c.signal('SIGKILL');
  });

  it('a tty container (kubectl run -it / attach): Ctrl-C ends the main shell\'s job, not the shell (PID 1)', async () => {
    const l = runtime.lookup('busybox');
    if (!l.ok) throw new Error(l.message);
    let out = '';
    const c = runtime.startContainer({
      id: 'd'.repeat(64),
      name: 'c',
      image: l.image,
      command: ['sh'],
      env: [],
      tty: true,
      stdin: true,
      pod: { namespace: 'default', name: 'bb', uid: 'u', hostname: 'bb', nodeName: 'n' },
      clock: new FakeClock(0),
      stdout: (x) => (out += x),
      stderr: (x) => (out += x),
    }) as Container;
    let done = false;
    void c.exited.then(() => (done = true));
    await settle();
    c.writeStdin('sleep 100\r');
    await settle();
    c.writeStdin('\x03');
    await settle();
    c.writeStdin('echo $?\r');
    await settle();
    expect(out).toBe('/ # sleep 100\r\n^C\r\n/ # echo $?\r\n130\r\n/ # ');
    expect(done).toBe(false);
    c.writeStdin('\x04');
    await settle();
    expect(done).toBe(true);
  });

  it('TtyInput: end-of-file from the keyboard is one read; aborted reads return nothing and lose nothing', async () => {
    const tty = new Tty();
    let echoed = '';
    const ld = new LineDiscipline(tty, (e) => (echoed += e));
    ld.write('ab\x7fc\r\x04');
    expect(echoed).toBe('ab\b \bc\r\n');
    expect(await tty.input.readLine()).toBe('ac');
    expect(await tty.input.readLine()).toBeNull();
    const pending = tty.input.readLine();
    tty.input.abortReads();
    expect(await pending).toBeNull();
    ld.write('next\r');
    expect(await tty.input.readLine()).toBe('next');
    const i = new TtyInput();
    i.push('x');
    i.end();
    expect(await i.readAll()).toBe('x');
  });

  it('byte readers read the terminal too: cat and head -c typed at a tty prompt', async () => {
    const t = await shell('busybox', ['sh']);
    await t.type('cat\r');
    await t.type('hello\r');
    await t.type('\x04');
    expect(t.out()).toBe('/ # cat\r\nhello\r\nhello\r\n/ # ');
    t.clear();
    await t.type('head -c 3\r');
    await t.type('abcdef\r');
    expect(t.out()).toBe('head -c 3\r\nabcdef\r\nabc/ # ');
    await t.type('exit\r');
    expect(t.code()).toBe(0);
  });
});

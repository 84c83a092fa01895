import { describe, expect, it } from 'vitest';
import { advance, settle, start } from './harness';

const RUNC = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process:';

async function isRunning(c: ReturnType<typeof start>): Promise<boolean> {
  let done = false;
  void c.exit().then(() => (done = true));
  await settle();
  return !done;
}

describe('exit codes and start errors', () => {
  it('busybox sh -c "exit 1" exits 1 with reason Error', async () => {
    const c = start('busybox', { command: ['sh', '-c', 'exit 1'] });
    expect(await c.exit()).toEqual({ exitCode: 1, reason: 'Error' });
  });

  it('busybox with no command runs sh, which ends at once without stdin (Completed)', async () => {
    const c = start('busybox');
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(c.text()).toBe('');
  });

  it('debian and ubuntu run bash by default, which ends at once without stdin', async () => {
    expect(await start('debian').exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(await start('ubuntu:22.04').exit()).toEqual({ exitCode: 0, reason: 'Completed' });
  });

  it('an executable missing from $PATH is a StartError with exit 128 and runc\'s message', async () => {
    const c = start('busybox', { command: ['foo'] });
    expect(await c.exit()).toEqual({
      exitCode: 128,
      reason: 'StartError',
      message: `${RUNC} exec: "foo": executable file not found in $PATH: unknown`,
    });
  });

  it('a missing absolute path is a StartError naming the stat failure', async () => {
    const c = start('nginx', { command: ['/app/server'] });
    expect(await c.exit()).toEqual({
      exitCode: 128,
      reason: 'StartError',
      message: `${RUNC} exec: "/app/server": stat /app/server: no such file or directory: unknown`,
    });
  });

  it('a file that is not executable is a StartError (permission denied)', async () => {
    const c = start('nginx', { command: ['/etc/nginx/nginx.conf'] });
    expect((await c.exit()).message).toBe(`${RUNC} exec: "/etc/nginx/nginx.conf": permission denied: unknown`);
  });

  it('command, args, env and workingDir reach the program', async () => {
    const c = start('busybox', {
      command: ['sh', '-c'],
      args: ['echo "$GREETING from $(pwd) as $0"', 'myname'],
      env: [{ name: 'GREETING', value: 'hi' }],
      workingDir: '/work/dir',
    });
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(c.text()).toBe('hi from /work/dir as myname\n');
  });

  it('HOSTNAME, HOME and the image PATH are in the environment', async () => {
    const c = start('busybox', { command: ['env'], hostname: 'web-0' });
    await c.exit();
    expect(c.text()).toBe('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=web-0\nHOME=/root\n');
  });
});

describe('PID 1 signal semantics', () => {
  it('a shell without a trap ignores SIGTERM; SIGKILL ends it with 137', async () => {
    const c = start('busybox', { command: ['sh', '-c', 'echo up; sleep 3600'] });
    await settle();
    c.proc.signal('SIGTERM');
    expect(await isRunning(c)).toBe(true);
    c.proc.signal('SIGINT');
    expect(await isRunning(c)).toBe(true);
    c.proc.signal('SIGKILL');
    expect(await c.exit()).toEqual({ exitCode: 137, reason: 'Error', signal: 'SIGKILL' });
  });

  it('a TERM trap runs at the next command boundary (after the foreground sleep)', async () => {
    const c = start('busybox', { command: ['sh', '-c', "trap 'echo caught; exit 0' TERM; while true; do sleep 1; done"] });
    await settle();
    c.proc.signal('SIGTERM');
    expect(await isRunning(c)).toBe(true);
    await advance(c.clock, 1000, 250);
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(c.text()).toBe('caught\n');
  });

  it('a trap waits for a long foreground sleep, but interrupts `wait` at once', async () => {
    const fg = start('busybox', { command: ['sh', '-c', "trap 'exit 3' TERM; sleep 3600"] });
    await settle();
    fg.proc.signal('SIGTERM');
    await advance(fg.clock, 5000, 1000);
    expect(await isRunning(fg)).toBe(true);
    fg.proc.signal('SIGKILL');
    expect((await fg.exit()).exitCode).toBe(137);

    const bg = start('busybox', { command: ['sh', '-c', "trap 'echo stopping; exit 3' TERM; sleep 3600 & wait"] });
    await settle();
    bg.proc.signal('SIGTERM');
    expect(await bg.exit()).toEqual({ exitCode: 3, reason: 'Error' });
    expect(bg.text()).toBe('stopping\n');
  });

  it("trap '' TERM ignores the signal; a trap without exit lets the script go on", async () => {
    const c = start('busybox', { command: ['sh', '-c', "trap 'echo got' TERM; sleep 1; echo next; sleep 1; echo end"] });
    await settle();
    c.proc.signal('SIGTERM');
    await advance(c.clock, 2000, 500);
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(c.text()).toBe('got\nnext\nend\n');
  });

  it('kill from inside: `kill -TERM 1` reaches a trap, `kill -9 1` is dropped for init', async () => {
    const c = start('busybox', { command: ['sh', '-c', "trap 'echo self; exit 7' TERM; kill -9 1; echo alive; kill -TERM $$; sleep 1"] });
    await settle(10);
    await advance(c.clock, 1000, 250);
    expect(await c.exit()).toEqual({ exitCode: 7, reason: 'Error' });
    expect(c.text()).toBe('alive\nself\n');
  });

  it('node (kubia) as PID 1 has no SIGTERM handler: it keeps running until SIGKILL', async () => {
    const c = start('luksa/kubia:1.0');
    await settle();
    c.proc.signal('SIGTERM');
    expect(await isRunning(c)).toBe(true);
    c.proc.signal('SIGKILL');
    expect((await c.exit()).exitCode).toBe(137);
  });
});

describe('memory', () => {
  it('stress allocating past the memory limit is OOMKilled (137)', async () => {
    const c = start('polinux/stress', { command: ['stress'], args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'], memoryLimitBytes: 100 * 1024 * 1024 });
    await settle();
    await advance(c.clock, 100, 10);
    expect(await c.exit()).toEqual({ exitCode: 137, reason: 'OOMKilled', signal: 'SIGKILL' });
    expect(c.text()).toBe('stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n');
  });

  it('stress within its limit keeps running and reports its memory', async () => {
    const c = start('polinux/stress', { command: ['stress'], args: ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1'], memoryLimitBytes: 200 * 1024 * 1024 });
    await settle();
    await advance(c.clock, 100, 10);
    expect(await isRunning(c)).toBe(true);
    expect(c.proc.usage!().memoryBytes).toBeGreaterThan(150 * 1024 * 1024);
    expect(c.proc.usage!().memoryBytes).toBeLessThan(200 * 1024 * 1024);
    c.proc.signal('SIGKILL');
    await c.exit();
  });

  it('stress --cpu reports CPU use and --timeout ends it', async () => {
    const c = start('polinux/stress', { command: ['stress'], args: ['--cpu', '2', '--timeout', '10s'] });
    await settle();
    expect(c.proc.usage!().cpuMillicores).toBe(2000);
    await advance(c.clock, 12_000, 1000);
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(c.text()).toBe('stress: info: [1] dispatching hogs: 2 cpu, 0 io, 0 vm, 0 hdd\nstress: info: [1] successful run completed in 10s\n');
  });
});

describe('working directory', () => {
  it('is created when missing; a file in the way is a StartError', async () => {
    const ok = start('busybox', { command: ['pwd'], workingDir: '/srv/app' });
    await ok.exit();
    expect(ok.text()).toBe('/srv/app\n');
    const bad = start('busybox', { command: ['pwd'], workingDir: '/etc/passwd/x' });
    expect(await bad.exit()).toEqual({
      exitCode: 128,
      reason: 'StartError',
      message: `${RUNC} error during container init: mkdir /etc/passwd/x: not a directory: unknown`,
    });
  });
});

describe('killing background jobs', () => {
  it('the graceful-shutdown entrypoint pattern: trap kills the child, waits, exits 0', async () => {
    const c = start('busybox', {
      command: ['sh', '-c', "trap 'echo stopping; kill -TERM $child; wait $child; echo child said $?; exit 0' TERM; sleep 3600 & child=$!; wait $child"],
    });
    await settle();
    c.proc.signal('SIGTERM');
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(c.text()).toBe('stopping\nchild said 143\n');
    expect(c.clock.pending()).toBe(0);
  });

  it('kill $! stops a looping job; kill of a foreground child pid from exec', async () => {
    const c = start('busybox', { command: ['sh', '-c', '(while true; do echo bg; sleep 1; done) & j=$!; sleep 2; kill $j; wait $j; echo "job $?"; sleep 5; echo late'] });
    await settle();
    await advance(c.clock, 2500, 250);
    expect(c.text()).toBe('bg\nbg\njob 143\n');
    const out: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) };
    await c.proc.exec!(['sh', '-c', "kill $(ps | grep 'sleep 5' | grep -v grep | sed 's/^ *//' | cut -d' ' -f1)"], io);
    await settle();
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(c.text()).toBe('bg\nbg\njob 143\nlate\n');
  });
});

/**
 * `kubesim serve --time-scale 10` as users run it: the cluster clock runs ten times faster than
 * the wall clock, so `sleep 30` in a busybox pod ends in a few wall seconds (at real time it could
 * not end before 30 s); and serve refuses a time scale outside 0.1–100 with a usage error.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { eventually, ROOT, useServe } from './harness';

const s = useServe(['--time-scale', '10']);

describe('kubesim serve --time-scale', () => {
  it('a 30 s sleep in a pod finishes in well under 30 wall seconds', async () => {
    const started = Date.now();
    s.ok(['run', 'sleeper', '--image=busybox', '--restart=Never', '--', 'sleep', '30']);
    const phase = () => s.kubectl(['get', 'pod', 'sleeper', '-o', 'jsonpath={.status.phase}']).stdout;
    await eventually('the sleeper pod to succeed', () => phase() === 'Succeeded', 25_000);
    const wallMs = Date.now() - started;
    // 30 s at 10× is 3 s of sleeping; the rest is scheduling and the container start on a busy machine.
    expect(wallMs).toBeLessThan(25_000);
    const exit = s.ok(['get', 'pod', 'sleeper', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.exitCode}']);
    expect(exit).toBe('0');
  }, 60_000);

  it.each([
    ['0', /--time-scale wants a number from 0\.1 to 100, not 0 \(1 = real time\)/],
    ['1000', /--time-scale wants a number from 0\.1 to 100, not 1000/],
    ['fast', /--time-scale wants a number from 0\.1 to 100, not 'fast'/],
  ])('refuses --time-scale %s with a usage error (exit 2)', (value, message) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/kubesim.js'), 'serve', '--time-scale', value], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

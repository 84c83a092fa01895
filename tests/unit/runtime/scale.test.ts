import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src-main/client/clock';
import { createContainerRuntime } from '../../../src-main/runtime';
import type { ContainerExit } from '../../../src-main/runtime/types';
import { settle } from './harness';

describe('scale', () => {
  it('10 000 idle nginx containers: no timers, all running, a small heap', async () => {
    const rt = createContainerRuntime();
    const lookup = rt.lookup('nginx');
    if (!lookup.ok) throw new Error(lookup.message);
    const clock = new FakeClock(0);
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage().heapUsed;
    let bytesLogged = 0;
    const exits: ContainerExit[] = [];
    const procs = [];
    for (let i = 0; i < 10_000; i++) {
      const p = rt.start({
        id: i.toString(16).padStart(64, '0'),
        name: 'nginx',
        image: lookup.image,
        env: [{ name: 'KUBERNETES_SERVICE_HOST', value: '10.96.0.1' }],
        tty: false,
        stdin: false,
        pod: { namespace: 'default', name: `web-${i}`, uid: `uid-${i}`, hostname: `web-${i}`, nodeName: `node-${i % 100}` },
        clock,
        stdout: (c) => (bytesLogged += c.length),
        stderr: (c) => (bytesLogged += c.length),
      });
      void p.exited.then((e) => exits.push(e));
      procs.push(p);
    }
    await settle(10);
    (globalThis as { gc?: () => void }).gc?.();
    const perContainer = (process.memoryUsage().heapUsed - before) / 10_000;
    expect(exits).toEqual([]);
    expect(clock.pending()).toBe(0);
    expect(bytesLogged).toBeGreaterThan(10_000 * 1200);
    console.log(`heap per idle nginx container: ${Math.round(perContainer)} bytes`);
    // far under 1 GB for 10k (100 KB each would be 1 GB)
    expect(perContainer).toBeLessThan(20_000);
    for (const p of procs) p.signal('SIGKILL');
    await settle();
    expect(exits).toHaveLength(10_000);
  }, 120_000);
});

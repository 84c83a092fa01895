/**
 * polinux/stress: `stress --vm N --vm-bytes SIZE --cpu N --timeout T`, the image of the
 * Kubernetes memory/CPU limit tutorials. Its allocations count against the memory limit, so
 * `--vm-bytes 250M` under a 100Mi limit is OOMKilled like upstream.
 */
import type { ImageFamily } from './types';
import { exe } from './types';
import { busyboxUserland } from './os';
import type { ProcessContext } from '../program';

function bytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([bBkKmMgG]?)$/.exec(s);
  if (!m) return NaN;
  const mult: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
  return Number(m[1]) * mult[m[2]!.toLowerCase()]!;
}

function seconds(s: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(s);
  if (!m) return NaN;
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
}

async function stress(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let cpu = 0;
  let vm = 0;
  let io = 0;
  let hdd = 0;
  let vmBytes = 256 * 1024 * 1024;
  let timeout = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = args[i + 1] ?? '';
    if (a === '--cpu' || a === '-c') (cpu = Number(v)), i++;
    else if (a === '--vm' || a === '-m') (vm = Number(v)), i++;
    else if (a === '--io' || a === '-i') (io = Number(v)), i++;
    else if (a === '--hdd' || a === '-d') (hdd = Number(v)), i++;
    else if (a === '--vm-bytes') (vmBytes = bytes(v)), i++;
    else if (a === '--timeout' || a === '-t') (timeout = seconds(v)), i++;
    else if (a === '--vm-hang' || a === '--vm-stride' || a === '--hdd-bytes' || a === '--backoff') i++;
  }
  const pid = ctx.pid;
  if (!cpu && !vm && !io && !hdd) {
    ctx.stdout.write(`\`stress' imposes certain types of compute stress on your system\n\nUsage: stress [OPTION [ARG]] ...\n`);
    return 1;
  }
  ctx.stdout.write(`stress: info: [${pid}] dispatching hogs: ${cpu} cpu, ${io} io, ${vm} vm, ${hdd} hdd\n`);
  ctx.host.setCpu(cpu * 1000 + vm * 50);
  await ctx.host.sleep(10);
  for (let i = 0; i < vm; i++) ctx.host.allocate(vmBytes);
  if (timeout) {
    const started = ctx.host.clock.now();
    await ctx.host.sleep(timeout * 1000);
    ctx.stdout.write(`stress: info: [${pid}] successful run completed in ${Math.round((ctx.host.clock.now() - started) / 1000)}s\n`);
    return 0;
  }
  return ctx.host.forever();
}

export const stressImage: ImageFamily = {
  repository: 'docker.io/polinux/stress',
  config: { entrypoint: [], cmd: ['stress', '--verbose', '--vm', '1', '--vm-bytes', '128M', '--vm-hang', '0'], workingDir: '', env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], exposedPorts: [] },
  groups: [{ tags: ['latest', '1.0.4'], version: '1.0.4', sizeBytes: 4_124_367 }],
  files: () => ({ ...busyboxUserland(), '/usr/bin/stress': exe('stress'), '/usr/local/bin/stress': exe('stress') }),
  programs: { stress },
};

/** Starts containers of the runtime on a FakeClock and collects their output. */
import { FakeClock } from '../../../src-main/client/clock';
import { createContainerRuntime } from '../../../src-main/runtime';
import type { ContainerConfig, ContainerExit, ContainerProcess, EnvVar } from '../../../src-main/runtime/types';

export const runtime = createContainerRuntime();

export interface Started {
  proc: ContainerProcess;
  clock: FakeClock;
  out: string[];
  err: string[];
  /** stdout and stderr interleaved as produced. */
  all: string[];
  text(): string;
  exit(): Promise<ContainerExit>;
}

let seq = 0;

export function start(
  image: string,
  opts: {
    command?: string[];
    args?: string[];
    env?: EnvVar[];
    memoryLimitBytes?: number;
    clock?: FakeClock;
    workingDir?: string;
    hostname?: string;
    dnsClient?: ContainerConfig['dnsClient'];
    /** The pod's network namespace (a real one from network/fabric.ts) and its IP. */
    net?: ContainerConfig['net'];
    id?: string;
    ports?: ContainerConfig['ports'];
  } = {},
): Started {
  const lookup = runtime.lookup(image);
  if (!lookup.ok) throw new Error(lookup.message);
  const clock = opts.clock ?? new FakeClock(Date.UTC(2026, 10, 23, 10, 0, 0));
  const out: string[] = [];
  const err: string[] = [];
  const all: string[] = [];
  const proc = runtime.start({
    id: opts.id ?? (++seq).toString(16).padStart(64, '0'),
    name: 'c',
    image: lookup.image,
    command: opts.command,
    args: opts.args,
    env: opts.env ?? [],
    workingDir: opts.workingDir,
    tty: false,
    stdin: false,
    pod: { namespace: 'default', name: opts.hostname ?? 'p', uid: 'u', hostname: opts.hostname ?? 'mypod', nodeName: 'worker', podIP: opts.net?.ip },
    memoryLimitBytes: opts.memoryLimitBytes,
    dnsClient: opts.dnsClient,
    net: opts.net,
    ports: opts.ports,
    clock,
    stdout: (c) => {
      out.push(c);
      all.push(c);
    },
    stderr: (c) => {
      err.push(c);
      all.push(c);
    },
  });
  return { proc, clock, out, err, all, text: () => all.join(''), exit: () => proc.exited };
}

/** Lets pending promise chains (and setImmediate yields) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Advances the fake clock step by step, letting the programs run between steps. */
export async function advance(clock: FakeClock, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    await settle(3);
  }
}

/** Runs `sh -c script` in busybox to completion; returns output and exit code. */
export async function sh(script: string, image = 'busybox', opts: { env?: EnvVar[]; advanceMs?: number } = {}): Promise<{ out: string; err: string; code: number; all: string }> {
  const c = start(image, { command: ['sh', '-c', script], env: opts.env });
  let exit: ContainerExit | undefined;
  void c.exit().then((e) => (exit = e));
  await settle();
  let waited = 0;
  while (!exit && waited < (opts.advanceMs ?? 60_000)) {
    await advance(c.clock, 1000, 250);
    waited += 1000;
    // busy programs pause on real timers (Container.yieldCpu)
    if (!exit) await new Promise((r) => setTimeout(r, 15));
  }
  if (!exit) throw new Error(`script did not finish: ${script}\n${c.text()}`);
  return { out: c.out.join(''), err: c.err.join(''), code: exit.exitCode, all: c.text() };
}

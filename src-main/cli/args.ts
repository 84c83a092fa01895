/**
 * Command-line parsing for `kubesim` (node:util parseArgs, strict): pure, so every usage error
 * is testable without starting anything.
 */
import { parseArgs } from 'node:util';

export interface ServeFlags {
  dataDir?: string;
  kubeconfig?: string;
  /** Undefined: the port this data dir used last time if free, else a free one. 0: a free one. */
  apiPort?: number;
  uiPort?: number;
  nodes?: number;
  fast: boolean;
  /** Offer the host terminal (a shell with KUBECONFIG set) in the UI; the desktop app passes it. */
  hostTerminal?: boolean;
  /** How much faster than wall time the cluster clock runs (back-offs, grace periods, ages). Undefined: 1. */
  timeScale?: number;
}

export type Command =
  | { kind: 'serve'; flags: ServeFlags }
  | { kind: 'help'; topic?: 'serve' }
  | { kind: 'version' }
  | { kind: 'usage-error'; message: string; topic?: 'serve' };

export const MAX_WORKER_NODES = 100;
/** `--time-scale` bounds: slower than a tenth of real time or faster than 100× makes no sense to watch. */
export const MIN_TIME_SCALE = 0.1;
export const MAX_TIME_SCALE = 100;

export const USAGE = `Usage: kubesim <command> [flags]

A Kubernetes cluster simulated in one process; real kubectl talks to it.

Commands:
  serve      run the cluster headless (API server, controllers, nodes, UI gateway)
  version    print the kubesim version
  help       print this help (also: --help, -h)

Run 'kubesim serve --help' for the serve flags.
`;

export const SERVE_USAGE = `Usage: kubesim serve [--data-dir DIR] [--kubeconfig FILE] [--api-port N] [--ui-port N] [--nodes N] [--fast]
                    [--time-scale N] [--host-terminal]

Runs the cluster headless and prints, each on its own line:
  API server: https://127.0.0.1:PORT
  UI: http://127.0.0.1:PORT/...
  ready

Flags:
  --data-dir DIR      database, PKI and volumes (default: the per-user app data folder,
                      e.g. ~/.local/share/kubesim); restarting on it brings the cluster back
  --kubeconfig FILE   write the kubesim context there; without it the context is merged into
                      the first file of $KUBECONFIG or ~/.kube/config (other entries untouched,
                      a backup kept as <file>.kubesim-backup)
  --api-port N        HTTPS API port on 127.0.0.1; 0 picks a free port (default: the port this
                      data dir used last time if it is free, else a free one)
  --ui-port N         UI port on 127.0.0.1; 0 picks a free port (default: as for --api-port)
  --nodes N           worker nodes besides the control plane (default 2, at most ${MAX_WORKER_NODES})
  --fast              immediate image pulls and container starts (tests, benchmarks)
  --time-scale N      how fast the simulated clock runs, ${MIN_TIME_SCALE} to ${MAX_TIME_SCALE} (default 1 = real time);
                      with 10, back-offs, sleeps, grace periods and ages run 10 times faster
  --host-terminal     offer a shell on this machine in the UI (Terminal), with KUBECONFIG set
                      to this cluster's kubeconfig; anyone with the UI link can use it
  -h, --help          print this help

SIGINT/SIGTERM stop the cluster cleanly; a second signal forces the exit.
`;

function intFlag(name: string, raw: string | undefined, min: number, max: number): number | string | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim())) return `--${name} wants a whole number from ${min} to ${max}, not '${raw}'`;
  const n = Number(raw.trim());
  if (n < min || n > max) return `--${name} wants a whole number from ${min} to ${max}, not ${n}`;
  return n;
}

/** A number such as 10, 2.5 or .5 within [min, max]; a message when it is not. */
function numberFlag(name: string, raw: string | undefined, min: number, max: number): number | string | undefined {
  if (raw === undefined) return undefined;
  const t = raw.trim();
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(t)) return `--${name} wants a number from ${min} to ${max}, not '${raw}'`;
  const n = Number(t);
  if (n < min || n > max) return `--${name} wants a number from ${min} to ${max}, not ${t}`;
  return n;
}

function parseServe(args: string[]): Command {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        kubeconfig: { type: 'string' },
        'api-port': { type: 'string' },
        'ui-port': { type: 'string' },
        nodes: { type: 'string' },
        fast: { type: 'boolean' },
        'host-terminal': { type: 'boolean' },
        'time-scale': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    return { kind: 'usage-error', topic: 'serve', message: (e as Error).message.replace(/\. To specify a positional argument.*$/s, '') };
  }
  if (values.help) return { kind: 'help', topic: 'serve' };
  if (positionals.length > 0) return { kind: 'usage-error', topic: 'serve', message: `unexpected argument '${positionals[0]}'` };

  const flags: ServeFlags = { fast: values.fast === true };
  if (values['host-terminal'] === true) flags.hostTerminal = true;
  for (const [flag, key] of [['data-dir', 'dataDir'], ['kubeconfig', 'kubeconfig']] as const) {
    const v = values[flag];
    if (typeof v === 'string') {
      if (v.trim() === '') return { kind: 'usage-error', topic: 'serve', message: `--${flag} wants a path, not an empty string` };
      flags[key] = v;
    }
  }
  for (const [flag, key, min, max] of [
    ['api-port', 'apiPort', 0, 65535],
    ['ui-port', 'uiPort', 0, 65535],
    ['nodes', 'nodes', 0, MAX_WORKER_NODES],
  ] as const) {
    const r = intFlag(flag, values[flag] as string | undefined, min, max);
    if (typeof r === 'string') return { kind: 'usage-error', topic: 'serve', message: r };
    if (r !== undefined) flags[key] = r;
  }
  const scale = numberFlag('time-scale', values['time-scale'] as string | undefined, MIN_TIME_SCALE, MAX_TIME_SCALE);
  if (typeof scale === 'string') return { kind: 'usage-error', topic: 'serve', message: `${scale} (1 = real time)` };
  if (scale !== undefined) flags.timeScale = scale;
  if (flags.apiPort !== undefined && flags.apiPort !== 0 && flags.apiPort === flags.uiPort) {
    return { kind: 'usage-error', topic: 'serve', message: `--api-port and --ui-port cannot both be ${flags.apiPort}` };
  }
  return { kind: 'serve', flags };
}

/** Parses `kubesim`'s arguments (without `node` and the script path). */
export function parseCommand(argv: string[]): Command {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
      return { kind: 'usage-error', message: 'no command given' };
    case 'serve':
      return parseServe(rest);
    case 'version':
    case '--version':
    case '-v':
      return rest.length === 0 ? { kind: 'version' } : { kind: 'usage-error', message: `'version' takes no arguments` };
    case 'help':
    case '--help':
    case '-h':
      return rest[0] === 'serve' ? { kind: 'help', topic: 'serve' } : { kind: 'help' };
    default:
      return { kind: 'usage-error', message: cmd.startsWith('-') ? `unknown flag '${cmd}' (flags go after the command)` : `unknown command '${cmd}'` };
  }
}

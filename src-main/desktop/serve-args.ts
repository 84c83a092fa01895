/**
 * The `kubesim serve` flags the desktop app starts its cluster with: from the saved settings, plus
 * the flags given on the app's own command line (`npm start -- --data-dir X` means the same with
 * or without Electron), which win. Anything else on Electron's command line (its own and
 * Chromium's switches) is ignored. Pure (no Electron).
 */
import type { DesktopSettings } from '../shared/ipc';

const VALUE_FLAGS = new Set(['--data-dir', '--kubeconfig', '--api-port', '--ui-port', '--nodes', '--time-scale']);
const BOOLEAN_FLAGS = new Set(['--fast', '--host-terminal']);

/** The serve flags on the app's command line (`--flag value` or `--flag=value`). */
export function serveArgsFrom(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (BOOLEAN_FLAGS.has(name) && eq < 0) out.push(a);
    else if (VALUE_FLAGS.has(name)) {
      if (eq > 0) out.push(a);
      else if (i + 1 < argv.length) out.push(a, argv[++i]);
    }
  }
  return out;
}

/** Flag names present in serve args (`--x v` or `--x=v`). */
function flagNames(args: readonly string[]): Set<string> {
  return new Set(args.filter((a) => a.startsWith('--')).map((a) => (a.includes('=') ? a.slice(0, a.indexOf('=')) : a)));
}

export interface ServeArgs {
  args: string[];
  /** Settings-derived flags the command line replaced (the Settings page says so). */
  overriddenBy: string[];
}

/**
 * `serve` flags for these settings. `clusterKubeconfigPath` is the app's own kubeconfig: the
 * merge into the user's file is the desktop's job (kubeconfig-sync.ts), so it can back it up first
 * and leave it alone when merging is off.
 */
export function buildServeArgs(settings: DesktopSettings, opts: { clusterKubeconfigPath: string; commandLine: readonly string[] }): ServeArgs {
  // One entry per flag; a flag the desktop always passes is one more line here.
  const fromSettings: [string, ...string[]][] = [];
  if (settings.dataDir !== null) fromSettings.push(['--data-dir', settings.dataDir]);
  if (settings.apiPort !== null) fromSettings.push(['--api-port', String(settings.apiPort)]);
  fromSettings.push(['--nodes', String(settings.nodes)]);
  // Real time is serve's default: the flag only when the clock runs faster or slower.
  if (settings.timeScale !== 1) fromSettings.push(['--time-scale', String(settings.timeScale)]);
  fromSettings.push(['--kubeconfig', opts.clusterKubeconfigPath]);
  // The window offers the Terminal page (a shell with KUBECONFIG set; gateway/host-terminal.ts).
  fromSettings.push(['--host-terminal']);

  const cli = serveArgsFrom(opts.commandLine);
  const given = flagNames(cli);
  const overriddenBy: string[] = [];
  const args: string[] = [];
  for (const [flag, ...values] of fromSettings) {
    if (given.has(flag)) overriddenBy.push(flag);
    else args.push(flag, ...values);
  }
  return { args: [...args, ...cli], overriddenBy };
}

/** The value serve will use for `flag` with these args (the last one given), or undefined. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  let v: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag && i + 1 < args.length) v = args[++i];
    else if (args[i].startsWith(`${flag}=`)) v = args[i].slice(flag.length + 1);
  }
  return v;
}

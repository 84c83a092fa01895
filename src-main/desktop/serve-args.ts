/**
 * The `kubesim serve` flags the desktop app passes on to its cluster: `npm start -- --data-dir X`
 * means the same with or without Electron. Anything else on Electron's command line (its own and
 * Chromium's switches) is ignored. Pure (no Electron).
 */
const VALUE_FLAGS = new Set(['--data-dir', '--kubeconfig', '--api-port', '--ui-port', '--nodes']);
const BOOLEAN_FLAGS = new Set(['--fast']);

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

import { describe, it, expect } from 'vitest';
import { buildServeArgs, flagValue, serveArgsFrom } from '../../../src-main/desktop/serve-args';
import { parseCommand } from '../../../src-main/cli/args';

const KC = '/home/u/.config/kubesim/kubeconfig';
const defaults = { dataDir: null, apiPort: null, nodes: 2, mergeKubeconfig: true };

describe('serve argv from settings', () => {
  it('defaults: serve picks the data dir and port; the app always writes its own kubeconfig', () => {
    expect(buildServeArgs(defaults, { clusterKubeconfigPath: KC, commandLine: [] })).toEqual({ args: ['--nodes', '2', '--kubeconfig', KC, '--host-terminal'], overriddenBy: [] });
  });

  it('every setting becomes its flag, and serve accepts the result', () => {
    const { args } = buildServeArgs({ dataDir: '/data/k', apiPort: 16443, nodes: 5, mergeKubeconfig: false }, { clusterKubeconfigPath: KC, commandLine: [] });
    expect(args).toEqual(['--data-dir', '/data/k', '--api-port', '16443', '--nodes', '5', '--kubeconfig', KC, '--host-terminal']);
    expect(parseCommand(['serve', ...args])).toMatchObject({ kind: 'serve', flags: { dataDir: '/data/k', apiPort: 16443, nodes: 5, kubeconfig: KC, fast: false } });
  });

  it('API port 0 is passed (a free port each start)', () => {
    expect(buildServeArgs({ ...defaults, apiPort: 0 }, { clusterKubeconfigPath: KC, commandLine: [] }).args).toContain('0');
  });

  it("the app's command line wins and is reported; Electron's own switches are dropped", () => {
    const r = buildServeArgs({ ...defaults, nodes: 5, dataDir: '/data/k' }, { clusterKubeconfigPath: KC, commandLine: ['/app', '--nodes=1', '--fast', '--no-sandbox', '--inspect=9229', '--data-dir', '/tmp/x'] });
    expect(r.args).toEqual(['--kubeconfig', KC, '--host-terminal', '--nodes=1', '--fast', '--data-dir', '/tmp/x']);
    expect(r.overriddenBy).toEqual(['--data-dir', '--nodes']);
    expect(flagValue(r.args, '--data-dir')).toBe('/tmp/x');
    expect(flagValue(r.args, '--nodes')).toBe('1');
    expect(flagValue(r.args, '--api-port')).toBeUndefined();
  });

  it('serveArgsFrom keeps only serve flags (value flags with their value)', () => {
    expect(serveArgsFrom(['.', '--ui-port', '0', '--enable-logging', '--kubeconfig=/k', '--nodes'])).toEqual(['--ui-port', '0', '--kubeconfig=/k']);
  });
});

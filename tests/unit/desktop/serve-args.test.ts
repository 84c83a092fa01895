import { describe, it, expect } from 'vitest';
import { buildServeArgs, flagValue, serveArgsFrom } from '../../../src-main/desktop/serve-args';
import { parseCommand } from '../../../src-main/cli/args';

const KC = '/home/u/.config/kubesim/kubeconfig';
const defaults = { dataDir: null, apiPort: null, nodes: 2, timeScale: 1, mergeKubeconfig: true };

describe('serve argv from settings', () => {
  it('defaults: serve picks the data dir and port, real time (no --time-scale); the app always writes its own kubeconfig', () => {
    expect(buildServeArgs(defaults, { clusterKubeconfigPath: KC, commandLine: [] })).toEqual({ args: ['--nodes', '2', '--kubeconfig', KC, '--host-terminal'], overriddenBy: [] });
  });

  it('every setting becomes its flag, and serve accepts the result', () => {
    const { args } = buildServeArgs({ dataDir: '/data/k', apiPort: 16443, nodes: 5, timeScale: 10, mergeKubeconfig: false }, { clusterKubeconfigPath: KC, commandLine: [] });
    expect(args).toEqual(['--data-dir', '/data/k', '--api-port', '16443', '--nodes', '5', '--time-scale', '10', '--kubeconfig', KC, '--host-terminal']);
    expect(parseCommand(['serve', ...args])).toMatchObject({ kind: 'serve', flags: { dataDir: '/data/k', apiPort: 16443, nodes: 5, timeScale: 10, kubeconfig: KC, fast: false } });
  });

  it('fractional time scales reach serve as written', () => {
    for (const timeScale of [0.1, 0.5, 2.5, 100]) {
      const { args } = buildServeArgs({ ...defaults, timeScale }, { clusterKubeconfigPath: KC, commandLine: [] });
      expect(flagValue(args, '--time-scale')).toBe(String(timeScale));
      expect(parseCommand(['serve', ...args])).toMatchObject({ kind: 'serve', flags: { timeScale } });
    }
  });

  it('API port 0 is passed (a free port each start)', () => {
    expect(buildServeArgs({ ...defaults, apiPort: 0 }, { clusterKubeconfigPath: KC, commandLine: [] }).args).toContain('0');
  });

  it('--time-scale on the command line wins over the setting', () => {
    const r = buildServeArgs({ ...defaults, timeScale: 10 }, { clusterKubeconfigPath: KC, commandLine: ['/app', '--time-scale=3'] });
    expect(r.args).not.toContain('10');
    expect(flagValue(r.args, '--time-scale')).toBe('3');
    expect(r.overriddenBy).toEqual(['--time-scale']);
    expect(serveArgsFrom(['.', '--time-scale', '20'])).toEqual(['--time-scale', '20']);
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

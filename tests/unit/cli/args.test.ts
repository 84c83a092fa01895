import { describe, it, expect } from 'vitest';
import { parseCommand, MAX_WORKER_NODES, MIN_TIME_SCALE, MAX_TIME_SCALE, SERVE_USAGE } from '../../../src-main/cli/args';
import { defaultDataDir, defaultKubeconfigPath } from '../../../src-main/cli/paths';

describe('parseCommand', () => {
  it('parses every serve flag', () => {
    expect(parseCommand(['serve', '--data-dir', '/d', '--kubeconfig', '/k', '--api-port', '0', '--ui-port', '8080', '--nodes', '3', '--fast'])).toEqual({
      kind: 'serve',
      flags: { dataDir: '/d', kubeconfig: '/k', apiPort: 0, uiPort: 8080, nodes: 3, fast: true },
    });
    expect(parseCommand(['serve', '--data-dir=/x', '--api-port=6443'])).toEqual({ kind: 'serve', flags: { dataDir: '/x', apiPort: 6443, fast: false } });
  });

  it('parses --time-scale (decimals too) within its range', () => {
    expect(parseCommand(['serve', '--time-scale', '10'])).toEqual({ kind: 'serve', flags: { fast: false, timeScale: 10 } });
    expect(parseCommand(['serve', '--time-scale=2.5'])).toEqual({ kind: 'serve', flags: { fast: false, timeScale: 2.5 } });
    expect(parseCommand(['serve', '--time-scale', '.5'])).toEqual({ kind: 'serve', flags: { fast: false, timeScale: 0.5 } });
    expect(parseCommand(['serve', '--time-scale', String(MIN_TIME_SCALE)])).toMatchObject({ flags: { timeScale: 0.1 } });
    expect(parseCommand(['serve', '--time-scale', String(MAX_TIME_SCALE)])).toMatchObject({ flags: { timeScale: 100 } });
    expect(SERVE_USAGE).toMatch(/\[--time-scale N\]/);
    expect(SERVE_USAGE).toMatch(/--time-scale N +how fast the simulated clock runs, 0\.1 to 100 \(default 1 = real time\)/);
  });

  it('leaves unset flags undefined (defaults are decided by serve)', () => {
    expect(parseCommand(['serve'])).toEqual({ kind: 'serve', flags: { fast: false } });
  });

  it.each([
    [['serve', '--bogus'], /Unknown option '--bogus'/],
    [['serve', '--api-port', 'abc'], /--api-port wants a whole number from 0 to 65535, not 'abc'/],
    [['serve', '--api-port', '70000'], /--api-port wants a whole number from 0 to 65535, not 70000/],
    [['serve', '--ui-port', '-1'], /--ui-port/],
    [['serve', '--nodes', '1.5'], /--nodes wants a whole number/],
    [['serve', '--nodes', String(MAX_WORKER_NODES + 1)], /--nodes wants a whole number from 0 to 100/],
    [['serve', '--data-dir'], /--data-dir/],
    [['serve', '--data-dir', ''], /--data-dir wants a path/],
    [['serve', '--fast=yes'], /--fast/],
    [['serve', 'extra'], /unexpected argument 'extra'/],
    [['serve', '--time-scale', 'fast'], /^--time-scale wants a number from 0\.1 to 100, not 'fast' \(1 = real time\)$/],
    [['serve', '--time-scale', ''], /^--time-scale wants a number from 0\.1 to 100, not ''/],
    [['serve', '--time-scale=-2'], /^--time-scale wants a number from 0\.1 to 100, not '-2'/],
    [['serve', '--time-scale', '1e3'], /^--time-scale wants a number from 0\.1 to 100, not '1e3'/],
    [['serve', '--time-scale', 'Infinity'], /--time-scale wants a number from 0\.1 to 100, not 'Infinity'/],
    [['serve', '--time-scale', '0'], /^--time-scale wants a number from 0\.1 to 100, not 0 \(1 = real time\)$/],
    [['serve', '--time-scale', '0.05'], /^--time-scale wants a number from 0\.1 to 100, not 0\.05/],
    [['serve', '--time-scale', '1000'], /^--time-scale wants a number from 0\.1 to 100, not 1000/],
    [['serve', '--time-scale'], /--time-scale/],
    [['serve', '--api-port', '7000', '--ui-port', '7000'], /cannot both be 7000/],
  ])('rejects %j', (argv, message) => {
    const c = parseCommand(argv);
    expect(c.kind).toBe('usage-error');
    if (c.kind === 'usage-error') {
      expect(c.message).toMatch(message);
      expect(c.topic).toBe('serve');
    }
  });

  it('knows help, version and rejects unknown commands', () => {
    expect(parseCommand(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommand(['help', 'serve'])).toEqual({ kind: 'help', topic: 'serve' });
    expect(parseCommand(['serve', '-h'])).toEqual({ kind: 'help', topic: 'serve' });
    expect(parseCommand(['version'])).toEqual({ kind: 'version' });
    expect(parseCommand(['--version'])).toEqual({ kind: 'version' });
    expect(parseCommand([])).toMatchObject({ kind: 'usage-error', message: 'no command given' });
    expect(parseCommand(['start'])).toMatchObject({ kind: 'usage-error', message: "unknown command 'start'" });
    expect(parseCommand(['--fast', 'serve'])).toMatchObject({ kind: 'usage-error', message: expect.stringMatching(/unknown flag '--fast'/) });
    expect(parseCommand(['version', 'x'])).toMatchObject({ kind: 'usage-error' });
  });
});

describe('default paths', () => {
  it('puts the data dir in the per-user app data folder', () => {
    expect(defaultDataDir({ platform: 'linux', env: {}, home: '/home/u' })).toBe('/home/u/.local/share/kubesim');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_DATA_HOME: '/xdg' }, home: '/home/u' })).toBe('/xdg/kubesim');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_DATA_HOME: 'relative' }, home: '/home/u' })).toBe('/home/u/.local/share/kubesim');
    expect(defaultDataDir({ platform: 'darwin', env: {}, home: '/Users/u' })).toBe('/Users/u/Library/Application Support/kubesim');
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, home: 'C:\\Users\\u' })).toBe('C:\\Users\\u\\AppData\\Roaming\\kubesim');
  });

  it('merges into the first $KUBECONFIG file, else ~/.kube/config', () => {
    expect(defaultKubeconfigPath({ platform: 'linux', env: {}, home: '/home/u' })).toBe('/home/u/.kube/config');
    expect(defaultKubeconfigPath({ platform: 'linux', env: { KUBECONFIG: ':/a/one:/b/two' }, home: '/home/u' })).toBe('/a/one');
    expect(defaultKubeconfigPath({ platform: 'win32', env: { KUBECONFIG: 'C:\\k1;C:\\k2' }, home: 'C:\\Users\\u' })).toBe('C:\\k1');
    expect(defaultKubeconfigPath({ platform: 'win32', env: {}, home: 'C:\\Users\\u' })).toBe('C:\\Users\\u\\.kube\\config');
  });
});

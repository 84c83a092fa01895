import { describe, it, expect } from 'vitest';
import { IPC, IPC_NAMES, type IpcName } from '../../../src-main/shared/ipc';
import { guardedHandler, senderAllowed, IpcRefusedError, type IpcImpl } from '../../../src-main/desktop/ipc-guard';

const ORIGIN = 'http://127.0.0.1:41234';
const top = (url: string) => ({ senderFrame: { url, parent: null } });
const settings = { dataDir: null, apiPort: null, nodes: 2, timeScale: 1, mergeKubeconfig: true };
const status = { state: 'ready' as const, message: 'The cluster is running', apiUrl: 'https://127.0.0.1:6443' };
const view = {
  settings,
  defaults: { dataDir: '/home/u/.local/share/kubesim', nodes: 2 },
  settingsPath: '/home/u/.config/kubesim/settings.json',
  problems: [],
  clusterKubeconfigPath: '/home/u/.config/kubesim/kubeconfig',
  userKubeconfigPath: '/home/u/.kube/config',
  backup: null,
  overriddenBy: [],
  restartNeeded: false,
};
const action = { done: true, message: 'ok' };

/** For every channel: valid arguments, a valid result, and arguments that must be refused. */
const CASES: { [K in IpcName]: { args: unknown[]; result: unknown; badArgs: unknown[][] } } = {
  appVersion: { args: [], result: '0.1.0', badArgs: [['extra']] },
  getSettings: { args: [], result: view, badArgs: [[1]] },
  saveSettings: {
    args: [settings],
    result: { ok: true, restartNeeded: true },
    badArgs: [
      [],
      [settings, settings],
      [{ ...settings, nodes: '3' }],
      [{ ...settings, nodes: 2.5 }],
      [{ ...settings, apiPort: 70000 }],
      [{ ...settings, dataDir: 5 }],
      [{ ...settings, mergeKubeconfig: 'yes' }],
      [{ ...settings, timeScale: 0 }],
      [{ ...settings, timeScale: 0.05 }],
      [{ ...settings, timeScale: 101 }],
      [{ ...settings, timeScale: '10' }],
      [{ ...settings, timeScale: Number.NaN }],
      [{ ...settings, timeScale: Number.POSITIVE_INFINITY }],
      [{ dataDir: null, apiPort: null, nodes: 2, mergeKubeconfig: true }],
      [{ ...settings, evil: true }],
      [{ dataDir: null, apiPort: null, nodes: 2 }],
      [null],
      [[settings]],
      [{ ...settings, dataDir: 'x'.repeat(5000) }],
    ],
  },
  clusterStatus: { args: [], result: status, badArgs: [[{}]] },
  restartCluster: { args: [], result: action, badArgs: [['now']] },
  resetCluster: { args: [], result: action, badArgs: [[true]] },
  restoreKubeconfig: { args: [], result: action, badArgs: [['/etc/passwd']] },
};

describe('sender validation', () => {
  it('only the top frame of a page on the UI origin', () => {
    expect(senderAllowed(top(`${ORIGIN}/#/settings`), ORIGIN)).toBe(true);
    expect(senderAllowed(top('http://127.0.0.1:41235/'), ORIGIN)).toBe(false); // another port (a Service's page)
    expect(senderAllowed(top('http://localhost:41234/'), ORIGIN)).toBe(false);
    expect(senderAllowed(top('https://evil.example/'), ORIGIN)).toBe(false);
    expect(senderAllowed(top('data:text/html,hi'), ORIGIN)).toBe(false); // the start-up page
    expect(senderAllowed(top('file:///etc/passwd'), ORIGIN)).toBe(false);
    expect(senderAllowed({ senderFrame: { url: `${ORIGIN}/`, parent: {} } }, ORIGIN)).toBe(false); // a subframe
    expect(senderAllowed({ senderFrame: null }, ORIGIN)).toBe(false); // frame gone
    expect(senderAllowed({}, ORIGIN)).toBe(false);
    expect(senderAllowed(top(`${ORIGIN}/`), undefined)).toBe(false); // cluster not running
    expect(senderAllowed(top('not a url'), ORIGIN)).toBe(false);
  });
});

describe('every channel', () => {
  it('the map and the cases name the same channels, with unique kubesim: channel names', () => {
    expect(Object.keys(CASES).sort()).toEqual([...IPC_NAMES].sort());
    const channels = IPC_NAMES.map((n) => IPC[n].channel);
    expect(new Set(channels).size).toBe(channels.length);
    for (const c of channels) expect(c).toMatch(/^kubesim:[a-z-]+$/);
  });

  for (const name of IPC_NAMES) {
    describe(name, () => {
      const c = CASES[name];
      const calls: unknown[][] = [];
      const impl = ((...args: unknown[]) => {
        calls.push(args);
        return c.result;
      }) as unknown as IpcImpl<typeof name>;
      const handler = guardedHandler(name, impl, () => ORIGIN);

      it('runs for the UI window with valid arguments and returns the checked result', async () => {
        calls.length = 0;
        await expect(handler(top(`${ORIGIN}/`), ...c.args)).resolves.toEqual(c.result);
        expect(calls).toEqual([c.args]);
      });

      it('refuses other senders without running', async () => {
        calls.length = 0;
        await expect(handler(top('https://evil.example/'), ...c.args)).rejects.toThrow(IpcRefusedError);
        await expect(handler({ senderFrame: { url: `${ORIGIN}/`, parent: {} } }, ...c.args)).rejects.toThrow(/the caller is not the kubesim window/);
        await expect(guardedHandler(name, impl, () => undefined)(top(`${ORIGIN}/`), ...c.args)).rejects.toThrow(IpcRefusedError);
        expect(calls).toEqual([]);
      });

      it('refuses bad arguments without running, naming the problem', async () => {
        calls.length = 0;
        for (const bad of c.badArgs) {
          await expect(handler(top(`${ORIGIN}/`), ...bad), JSON.stringify(bad).slice(0, 80)).rejects.toThrow(new RegExp(`^kubesim: IPC '${name}' refused: ${name}: args`));
        }
        expect(calls).toEqual([]);
      });

      it("refuses to hand back a result that breaks the map", async () => {
        const wrong = guardedHandler(name, (() => ({ unexpected: 1 })) as unknown as IpcImpl<typeof name>, () => ORIGIN);
        await expect(wrong(top(`${ORIGIN}/`), ...c.args)).rejects.toThrow(new RegExp(`${name}: result`));
      });
    });
  }

  it('saveSettings names the bad field', async () => {
    const h = guardedHandler('saveSettings', () => ({ ok: true as const, restartNeeded: false }), () => ORIGIN);
    await expect(h(top(`${ORIGIN}/`), { ...settings, nodes: '3' })).rejects.toThrow("saveSettings: args[0].nodes: expected a whole number, got string");
    await expect(h(top(`${ORIGIN}/`), { ...settings, evil: 1 })).rejects.toThrow("saveSettings: args[0]: unexpected field 'evil'");
  });

  it('a field-error answer is a valid saveSettings result; a half one is not', () => {
    const check = IPC.saveSettings.result;
    expect(check({ ok: false, errors: [{ field: 'nodes', message: 'too many' }] }, 'r')).toEqual({ ok: false, errors: [{ field: 'nodes', message: 'too many' }] });
    expect(() => check({ ok: false }, 'r')).toThrow('r.errors: expected an array, got undefined');
    expect(() => check({ ok: true }, 'r')).toThrow('r.restartNeeded: expected a boolean');
  });
});

/**
 * Preload (sandboxed, context-isolated): exposes `window.kubesim` with exactly the calls of the
 * IPC map (shared/ipc.ts), each checking its arguments before sending and the answer on return.
 * The UI reaches the cluster over HTTP (the gateway), not through here.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC, IPC_NAMES, type KubesimBridge } from '../shared/ipc';

const bridge: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
for (const name of IPC_NAMES) {
  const spec = IPC[name] as unknown as { channel: string; args: (v: unknown, at: string) => unknown[]; result: (v: unknown, at: string) => unknown };
  bridge[name] = async (...args: unknown[]) => {
    const checked = spec.args(args, `kubesim.${name}`);
    return spec.result(await ipcRenderer.invoke(spec.channel, ...checked), `kubesim.${name}: result`);
  };
}

contextBridge.exposeInMainWorld('kubesim', Object.freeze(bridge as unknown as KubesimBridge));

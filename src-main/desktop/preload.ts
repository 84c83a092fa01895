/**
 * Preload (sandboxed, context-isolated): exposes `window.kubesim` with nothing but typed,
 * validated calls. The UI reaches the cluster over HTTP (the gateway), not through here.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC } from './ipc-channels';

const bridge = {
  async appVersion(): Promise<string> {
    const v: unknown = await ipcRenderer.invoke(IPC.appVersion);
    if (typeof v !== 'string' || !/^[\w.+-]{1,64}$/.test(v)) throw new Error('kubesim: unexpected app version');
    return v;
  },
};

export type KubesimBridge = typeof bridge;

contextBridge.exposeInMainWorld('kubesim', Object.freeze(bridge));

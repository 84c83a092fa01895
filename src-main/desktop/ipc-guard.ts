/**
 * The checks every IPC call passes before its handler runs: the sender is the main frame of a page
 * on the UI gateway's origin (not a subframe, not another site the window was somehow sent to, not
 * the start-up page), and the arguments match the channel's types in shared/ipc.ts. The handler's
 * own result is checked too, so the preload only ever gets what the map promises. Pure.
 */
import { IPC, type IpcArgs, type IpcName, type IpcResult } from '../shared/ipc';
import { IpcValidationError } from '../shared/validate';

/** The part of Electron's IpcMainInvokeEvent looked at here. */
export interface SenderEvent {
  senderFrame?: { url: string; parent: unknown } | null;
}

export class IpcRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcRefusedError';
  }
}

/** True when the call comes from the top frame of a page on `uiOrigin`. */
export function senderAllowed(e: SenderEvent, uiOrigin: string | undefined): boolean {
  const frame = e.senderFrame;
  if (!uiOrigin || !frame || frame.parent !== null) return false;
  try {
    const u = new URL(frame.url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === uiOrigin;
  } catch {
    return false;
  }
}

export type IpcImpl<K extends IpcName> = (...args: IpcArgs<K>) => IpcResult<K> | Promise<IpcResult<K>>;

/** The function to register with `ipcMain.handle(IPC[name].channel, …)`. */
export function guardedHandler<K extends IpcName>(name: K, impl: IpcImpl<K>, uiOrigin: () => string | undefined) {
  const spec = IPC[name] as unknown as { args: (v: unknown, at: string) => IpcArgs<K>; result: (v: unknown, at: string) => IpcResult<K> };
  return async (e: SenderEvent, ...raw: unknown[]): Promise<IpcResult<K>> => {
    if (!senderAllowed(e, uiOrigin())) throw new IpcRefusedError(`kubesim: IPC '${name}' refused: the caller is not the kubesim window`);
    let args: IpcArgs<K>;
    try {
      args = spec.args(raw, `${name}: args`);
    } catch (err) {
      if (err instanceof IpcValidationError) throw new IpcRefusedError(`kubesim: IPC '${name}' refused: ${err.message}`);
      throw err;
    }
    const result = await impl(...args);
    return spec.result(result, `${name}: result`);
  };
}

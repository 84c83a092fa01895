/**
 * Registers the handlers of every channel in shared/ipc.ts. Each goes through guardedHandler
 * (ipc-guard.ts): sender = the main frame on the UI origin, arguments and result checked against
 * the map. A channel without a handler here fails the typecheck (the handlers object is complete).
 */
import { ipcMain } from 'electron';
import { IPC, IPC_NAMES, type IpcName } from '../shared/ipc';
import { guardedHandler, type IpcImpl } from './ipc-guard';

export type IpcHandlers = { [K in IpcName]: IpcImpl<K> };

export function registerIpc(handlers: IpcHandlers, uiOrigin: () => string | undefined): void {
  for (const name of IPC_NAMES) {
    ipcMain.handle(IPC[name].channel, guardedHandler(name, handlers[name] as IpcImpl<typeof name>, uiOrigin));
  }
}

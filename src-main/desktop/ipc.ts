/**
 * The IPC surface the preload exposes, handled here. Every call checks that it comes from the
 * main frame of our window, showing the UI origin.
 */
import { app, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IPC } from './ipc-channels';

export function registerIpc(uiOrigin: () => string | undefined): void {
  const trusted = (e: IpcMainInvokeEvent): boolean => {
    const origin = uiOrigin();
    const frame = e.senderFrame;
    if (!origin || !frame || frame.parent !== null) return false;
    try {
      return new URL(frame.url).origin === origin;
    } catch {
      return false;
    }
  };
  ipcMain.handle(IPC.appVersion, (e): string => {
    if (!trusted(e)) throw new Error('kubesim: IPC refused: the caller is not the kubesim window');
    return app.getVersion();
  });
}

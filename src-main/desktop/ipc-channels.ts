/** IPC channel names shared by the main process and the preload (no Electron import here). */
export const IPC = {
  appVersion: 'kubesim:app-version',
} as const;

/**
 * Just enough of Electron's main-process API, on plain Node, to run src-main/desktop/main.ts in a
 * test: `utilityProcess.fork` is a real Node child process, the rest records what main does
 * (windows and their URLs, IPC handlers, menus, tray, dialogs). State lives on globalThis so the
 * test sees what the bundled main sees.
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';

type Handler = (e: unknown, ...args: unknown[]) => unknown;

export interface ShimState {
  userData: string;
  appPath: string;
  ipc: Map<string, Handler>;
  windows: FakeWindow[];
  forks: { args: string[]; exitCode?: number | null; signal?: string | null }[];
  menu?: unknown[];
  tray?: { tooltip: string; menu: unknown[] };
  dialogResponse: number;
  dialogs: { message?: string; detail?: string }[];
  opened: string[];
  clipboard: string;
  quit: boolean;
  app: EventEmitter & { quit?: () => void };
  log: string[];
}

export const shim: ShimState = ((globalThis as { __electronShim?: ShimState }).__electronShim ??= {
  userData: '',
  appPath: '',
  ipc: new Map(),
  windows: [],
  forks: [],
  dialogResponse: 0,
  dialogs: [],
  opened: [],
  clipboard: '',
  quit: false,
  app: new EventEmitter(),
  log: [],
});

class FakeWebContents extends EventEmitter {
  url = '';
  history: string[] = [];
  getURL() {
    return this.url;
  }
  setWindowOpenHandler() {}
}

export class FakeWindow extends EventEmitter {
  webContents = new FakeWebContents();
  destroyed = false;
  maximized = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    shim.windows.push(this);
    setImmediate(() => this.emit('ready-to-show'));
  }
  loadURL(url: string) {
    this.webContents.url = url;
    this.webContents.history.push(url);
    return Promise.resolve();
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return false;
  }
  isMaximized() {
    return this.maximized;
  }
  maximize() {
    this.maximized = true;
  }
  getNormalBounds() {
    const o = this.options as { x: number; y: number; width: number; height: number };
    return { x: o.x, y: o.y, width: o.width, height: o.height };
  }
  show() {}
  focus() {}
  restore() {}
}

const app = Object.assign(shim.app, {
  isPackaged: false,
  whenReady: () => Promise.resolve(),
  isReady: () => true,
  getPath: (name: string) => {
    if (name !== 'userData') throw new Error(`getPath(${name})`);
    mkdirSync(shim.userData, { recursive: true });
    return shim.userData;
  },
  getAppPath: () => shim.appPath,
  getVersion: () => '0.1.0',
  requestSingleInstanceLock: () => true,
  exit: (code: number) => shim.log.push(`exit ${code}`),
  quit: () => {
    let prevented = false;
    shim.app.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) shim.quit = true;
  },
});

export { app };
export const BrowserWindow = FakeWindow;
export const ipcMain = { handle: (channel: string, h: Handler) => shim.ipc.set(channel, h) };
export const Menu = {
  buildFromTemplate: (t: unknown[]) => t,
  setApplicationMenu: (m: unknown[]) => (shim.menu = m),
};
export class Tray {
  constructor() {
    shim.tray = { tooltip: '', menu: [] };
  }
  on() {}
  isDestroyed() {
    return false;
  }
  destroy() {}
  setToolTip(t: string) {
    shim.tray!.tooltip = t;
  }
  setContextMenu(m: unknown[]) {
    shim.tray!.menu = m;
  }
}
export const nativeImage = { createFromPath: () => ({ isEmpty: () => true, resize: () => ({}) }) };
export const nativeTheme = { shouldUseDarkColors: false };
export const dialog = {
  showMessageBox: async (...a: unknown[]) => {
    const opts = (a.length > 1 ? a[1] : a[0]) as { message?: string; detail?: string };
    shim.dialogs.push(opts);
    return { response: shim.dialogResponse };
  },
  showErrorBox: (message: string, detail: string) => shim.dialogs.push({ message, detail }),
};
export const shell = { openExternal: async (u: string) => void shim.opened.push(u), openPath: async (p: string) => (shim.opened.push(p), '') };
export const clipboard = { writeText: (t: string) => (shim.clipboard = t) };
const area = { x: 0, y: 0, width: 1920, height: 1050 };
export const screen = { getAllDisplays: () => [{ workArea: area }], getPrimaryDisplay: () => ({ workArea: area }) };
const noop = () => {};
export const session = { defaultSession: { setPermissionRequestHandler: noop, setPermissionCheckHandler: noop, webRequest: { onHeadersReceived: noop } } };

export const utilityProcess = {
  fork(modulePath: string, args: string[]) {
    const record: ShimState['forks'][number] = { args };
    shim.forks.push(record);
    const p = spawn(process.execPath, [modulePath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const child = Object.assign(new EventEmitter(), {
      stdout: p.stdout,
      stderr: p.stderr,
      pid: p.pid,
      kill: () => p.kill('SIGTERM'),
      postMessage: () => {
        throw new Error('postMessage is for Windows');
      },
    });
    p.on('exit', (code, signal) => {
      record.exitCode = code;
      record.signal = signal;
      child.emit('exit', code ?? 1);
    });
    return child;
  },
};

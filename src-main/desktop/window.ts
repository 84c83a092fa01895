/**
 * The main window: sandboxed, context-isolated renderer without Node, on the UI gateway's origin
 * (or the start-up page). Navigation and new windows outside that origin are refused; http(s)
 * links open in the user's browser instead (external-links.ts). UI responses always carry the
 * strict CSP (csp.ts), no web permission is ever granted, and the size, position and maximized
 * state are kept across runs (window-state.ts).
 */
import { BrowserWindow, nativeTheme, screen, session, shell } from 'electron';
import { withCsp } from './csp';
import { externalUrl, isAppUrl } from './external-links';
import { loadWindowState, MIN_SIZE, restoreWindowState, saveWindowState } from './window-state';

export interface MainWindowOptions {
  preloadPath: string;
  iconPath?: string;
  stateFile: string;
  /** The UI gateway's origin while the cluster runs. */
  uiOrigin: () => string | undefined;
  isDev: boolean;
}

let sessionSecured = false;

/** Session-wide rules (once): no permissions, the CSP on UI documents. */
function secureSession(uiOrigin: () => string | undefined): void {
  if (sessionSecured) return;
  sessionSecured = true;
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, _permission, cb) => cb(false));
  s.setPermissionCheckHandler(() => false);
  s.webRequest.onHeadersReceived((details, cb) => {
    const ui = isAppUrl(details.url, uiOrigin());
    cb({ responseHeaders: ui ? withCsp(details.responseHeaders) : details.responseHeaders });
  });
}

function openOutside(url: string): void {
  const ok = externalUrl(url);
  if (ok) void shell.openExternal(ok);
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  secureSession(opts.uiOrigin);
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  const state = restoreWindowState(loadWindowState(opts.stateFile), displays, screen.getPrimaryDisplay().workArea);
  const win = new BrowserWindow({
    ...state.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'kubesim',
    icon: opts.iconPath,
    show: false,
    // The UI's page background, so no flash of the wrong colour before it paints.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0f141d' : '#f4f6fa',
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: opts.isDev,
    },
  });
  if (state.maximized) win.maximize();

  const wc = win.webContents;
  wc.setWindowOpenHandler(({ url }) => {
    if (!isAppUrl(url, opts.uiOrigin())) openOutside(url);
    return { action: 'deny' };
  });
  wc.on('will-navigate', (e, url) => {
    if (isAppUrl(url, opts.uiOrigin())) return;
    e.preventDefault();
    openOutside(url);
  });
  wc.on('will-frame-navigate', (e) => {
    if (!e.isMainFrame && !isAppUrl(e.url, opts.uiOrigin())) e.preventDefault();
  });
  wc.on('will-redirect', (e, url) => {
    if (!isAppUrl(url, opts.uiOrigin())) e.preventDefault();
  });
  wc.on('will-attach-webview', (e) => e.preventDefault());

  // Window state: saved when it settles after a move/resize, and on close.
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    if (win.isDestroyed()) return;
    try {
      saveWindowState(opts.stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch {
      // userData not writable: the next start simply centres the window
    }
  };
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  for (const ev of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(ev as 'resize', saveSoon);
  win.on('close', save);
  win.on('closed', () => clearTimeout(timer));

  win.once('ready-to-show', () => win.show());
  return win;
}

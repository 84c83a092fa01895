/**
 * The main window: sandboxed renderer on the UI gateway's origin. Navigation and new windows
 * outside that origin are refused (http(s) links open in the user's browser instead), and no
 * web permission (camera, notifications, …) is ever granted.
 */
import { BrowserWindow, nativeTheme, shell, session } from 'electron';

export function createMainWindow(uiUrl: string, preloadPath: string, iconPath?: string): BrowserWindow {
  const origin = new URL(uiUrl).origin;
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'kubesim',
    icon: iconPath,
    show: false,
    // The UI's page background, so no flash of the wrong colour before it paints.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0f141d' : '#f4f6fa',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  const openOutside = (url: string) => {
    try {
      const u = new URL(url);
      if (u.protocol === 'https:' || u.protocol === 'http:') void shell.openExternal(u.toString());
    } catch {
      // not a URL: ignore
    }
  };
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (!sameOrigin(url, origin)) openOutside(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (!sameOrigin(url, origin)) {
      e.preventDefault();
      openOutside(url);
    }
  });
  win.webContents.on('will-redirect', (e, url) => {
    if (!sameOrigin(url, origin)) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());

  win.once('ready-to-show', () => win.show());
  void win.loadURL(uiUrl);
  return win;
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

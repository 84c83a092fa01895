/**
 * Which URLs the window may show and which go to the system browser: the window stays on the UI
 * gateway's origin; an http(s) URL elsewhere (a Service's http://127.0.0.1:<port>, documentation
 * links) opens in the user's browser; everything else (file:, javascript:, custom schemes) is
 * dropped. Pure.
 */
export function isAppUrl(url: string, uiOrigin: string | undefined): boolean {
  if (!uiOrigin) return false;
  try {
    return new URL(url).origin === uiOrigin;
  } catch {
    return false;
  }
}

/** The URL to hand to shell.openExternal, or undefined when it must not be opened at all. */
export function externalUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  if (u.username || u.password) return undefined;
  return u.toString();
}

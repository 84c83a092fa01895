/** Light/dark theme: the stored choice wins, else the system's prefers-color-scheme. */
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'kubesim.theme';

export function parseTheme(v: string | null | undefined): Theme | undefined {
  return v === 'light' || v === 'dark' ? v : undefined;
}

export function effectiveTheme(stored: Theme | undefined, systemDark: boolean): Theme {
  return stored ?? (systemDark ? 'dark' : 'light');
}

export function otherTheme(t: Theme): Theme {
  return t === 'dark' ? 'light' : 'dark';
}

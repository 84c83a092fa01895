/**
 * The main window's size, position and maximized state across runs (`<userData>/window-state.json`).
 * Restoring puts the window back where it was only if its title bar is on a display that exists
 * now (a monitor may have been unplugged); otherwise it is centred on the primary display. Pure
 * apart from the file read/write.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const WINDOW_STATE_FILE = 'window-state.json';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export interface Size {
  width: number;
  height: number;
}

export const DEFAULT_SIZE: Size = { width: 1280, height: 820 };
export const MIN_SIZE: Size = { width: 720, height: 480 };
/** How much of the title bar must be on a display for the window to count as visible there. */
const GRAB_WIDTH = 120;
const TITLE_BAR_HEIGHT = 32;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The saved state, or undefined when the file is missing or not what we wrote. */
export function parseWindowState(text: string | undefined): WindowState | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as { bounds?: Record<string, unknown>; maximized?: unknown };
    const b = v?.bounds;
    if (!b || !finite(b.x) || !finite(b.y) || !finite(b.width) || !finite(b.height) || b.width <= 0 || b.height <= 0) return undefined;
    const r = (n: number) => Math.round(n);
    return { bounds: { x: r(b.x), y: r(b.y), width: r(b.width), height: r(b.height) }, maximized: v.maximized === true };
  } catch {
    return undefined;
  }
}

function overlap(a: Rect, b: Rect): Rect | undefined {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const w = Math.min(a.x + a.width, b.x + b.width) - x;
  const h = Math.min(a.y + a.height, b.y + b.height) - y;
  return w > 0 && h > 0 ? { x, y, width: w, height: h } : undefined;
}

function clampSize(s: Size, area: Rect): Size {
  return {
    width: Math.max(Math.min(MIN_SIZE.width, area.width), Math.min(s.width, area.width)),
    height: Math.max(Math.min(MIN_SIZE.height, area.height), Math.min(s.height, area.height)),
  };
}

function centred(s: Size, area: Rect): Rect {
  const size = clampSize(s, area);
  return { x: area.x + Math.round((area.width - size.width) / 2), y: area.y + Math.round((area.height - size.height) / 2), ...size };
}

/**
 * Where to open the window. `displays` are the work areas of the connected displays, `primary`
 * the primary display's. The result always lies within one display's work area.
 */
export function restoreWindowState(saved: WindowState | undefined, displays: readonly Rect[], primary: Rect): WindowState {
  if (saved) {
    const titleBar: Rect = { ...saved.bounds, height: Math.min(TITLE_BAR_HEIGHT, saved.bounds.height) };
    let best: { area: Rect; width: number } | undefined;
    for (const area of displays) {
      const o = overlap(titleBar, area);
      if (o && o.width >= Math.min(GRAB_WIDTH, saved.bounds.width) && (!best || o.width > best.width)) best = { area, width: o.width };
    }
    if (best) {
      const area = best.area;
      const size = clampSize(saved.bounds, area);
      // Pull it fully onto that display (a window half off-screen after a resolution change).
      const x = Math.min(Math.max(saved.bounds.x, area.x), area.x + area.width - size.width);
      const y = Math.min(Math.max(saved.bounds.y, area.y), area.y + area.height - size.height);
      return { bounds: { x, y, ...size }, maximized: saved.maximized };
    }
  }
  return { bounds: centred(saved?.bounds ?? DEFAULT_SIZE, primary), maximized: saved?.maximized ?? false };
}

export function loadWindowState(file: string): WindowState | undefined {
  try {
    return parseWindowState(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state)}\n`);
  renameSync(tmp, file);
}

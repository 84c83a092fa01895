import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SIZE, loadWindowState, parseWindowState, restoreWindowState, saveWindowState, type Rect } from '../../../src-main/desktop/window-state';

const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1050 }; // work area (taskbar excluded)
const right: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };
const left: Rect = { x: -1280, y: 200, width: 1280, height: 984 };
const within = (b: Rect, a: Rect) => b.x >= a.x && b.y >= a.y && b.x + b.width <= a.x + a.width && b.y + b.height <= a.y + a.height;

describe('window state: restore onto displays', () => {
  it('nothing saved: default size, centred on the primary display', () => {
    expect(restoreWindowState(undefined, [laptop, right], laptop)).toEqual({ bounds: { x: 320, y: 115, ...DEFAULT_SIZE }, maximized: false });
  });

  it('a window on a display that still exists comes back exactly, maximized flag too', () => {
    const saved = { bounds: { x: 2100, y: 100, width: 1400, height: 900 }, maximized: true };
    expect(restoreWindowState(saved, [laptop, right], laptop)).toEqual(saved);
    const neg = { bounds: { x: -1200, y: 250, width: 1000, height: 700 }, maximized: false };
    expect(restoreWindowState(neg, [laptop, left], laptop)).toEqual(neg);
  });

  it('its monitor was unplugged: centred on the primary display, size and maximized kept', () => {
    const saved = { bounds: { x: 2100, y: 100, width: 1400, height: 900 }, maximized: true };
    const r = restoreWindowState(saved, [laptop], laptop);
    expect(r).toEqual({ bounds: { x: 260, y: 75, width: 1400, height: 900 }, maximized: true });
  });

  it('title bar off screen (only the bottom of the window visible): not kept there', () => {
    const saved = { bounds: { x: 100, y: -800, width: 1200, height: 900 }, maximized: false };
    const r = restoreWindowState(saved, [laptop], laptop);
    expect(r.bounds.y).toBeGreaterThanOrEqual(0);
    expect(within(r.bounds, laptop)).toBe(true);
  });

  it('a title bar barely on screen (a sliver under 120 px) does not count; a grabbable one is pulled fully in', () => {
    const sliver = restoreWindowState({ bounds: { x: 1850, y: 100, width: 1000, height: 700 }, maximized: false }, [laptop], laptop);
    expect(sliver.bounds).toEqual({ x: 460, y: 175, width: 1000, height: 700 });
    const half = restoreWindowState({ bounds: { x: 1400, y: 600, width: 1000, height: 700 }, maximized: false }, [laptop], laptop);
    expect(half.bounds).toEqual({ x: 920, y: 350, width: 1000, height: 700 });
  });

  it('bigger than the display (resolution went down): shrunk to fit, not below the minimum', () => {
    const r = restoreWindowState({ bounds: { x: 0, y: 0, width: 2500, height: 1400 }, maximized: false }, [laptop], laptop);
    expect(r.bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1050 });
    const tiny: Rect = { x: 0, y: 0, width: 600, height: 400 };
    expect(restoreWindowState(undefined, [tiny], tiny).bounds).toEqual({ x: 0, y: 0, width: 600, height: 400 });
  });

  it('spanning two displays: kept on the one with most of its title bar', () => {
    const r = restoreWindowState({ bounds: { x: 1500, y: 100, width: 1200, height: 800 }, maximized: false }, [laptop, right], laptop);
    expect(r.bounds).toEqual({ x: 1920, y: 100, width: 1200, height: 800 });
  });
});

describe('window state: file', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  it('round-trips and rejects what it did not write', () => {
    dir = mkdtempSync(join(tmpdir(), 'kubesim-ws-'));
    const file = join(dir, 'window-state.json');
    expect(loadWindowState(file)).toBeUndefined();
    saveWindowState(file, { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    expect(loadWindowState(file)).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    writeFileSync(file, '{"bounds":{"x":"a","y":0,"width":10,"height":10}}');
    expect(loadWindowState(file)).toBeUndefined();
    expect(parseWindowState('{"bounds":{"x":0,"y":0,"width":0,"height":10}}')).toBeUndefined();
    expect(parseWindowState('garbage')).toBeUndefined();
    expect(parseWindowState('{"bounds":{"x":0.4,"y":1.6,"width":800.2,"height":600}}')).toEqual({ bounds: { x: 0, y: 2, width: 800, height: 600 }, maximized: false });
  });
});

/**
 * Headless Chromium for the UI tests (playwright-core with the system Chromium; no browser
 * downloads) and the screenshots of the main views (tests/e2e/screenshots/, looked at by people).
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = process.env.KUBESIM_SCREENSHOT_DIR ?? join(ROOT, 'tests/e2e/screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Saves a full-page screenshot under SCREENSHOT_DIR and prints where. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
}

function newestMtime(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return max;
}

/**
 * Builds the renderer (electron-vite) when its folder is missing or older than src-renderer:
 * out/renderer, or `KUBESIM_RENDERER_OUT` (a private folder, so test runs in parallel never
 * serve a half-written build; then exported as KUBESIM_RENDERER_DIR for the servers they start).
 */
export function ensureRendererBuilt(): string {
  const dir = process.env.KUBESIM_RENDERER_OUT ? resolve(process.env.KUBESIM_RENDERER_OUT) : join(ROOT, 'out/renderer');
  if (process.env.KUBESIM_RENDERER_OUT) process.env.KUBESIM_RENDERER_DIR = dir;
  const index = join(dir, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(ROOT, 'src-renderer'))) return dir;
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, encoding: 'utf8', shell: process.platform === 'win32' });
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stderr}${r.stdout}`);
  return dir;
}

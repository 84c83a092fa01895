#!/usr/bin/env node
/**
 * Renders the app icon (resources/icon.svg) into what electron-builder and the app use, with the
 * headless Chromium the UI tests use (playwright-core + /usr/bin/chromium; no other image tools):
 *   build/icon.png           1024×1024 (electron-builder's source; Linux sizes are made from it)
 *   build/icon.ico           Windows: PNG-compressed 16, 24, 32, 48, 64, 128, 256
 *   build/icon.icns          macOS: PNG entries 16…1024 (icp4…ic10, retina ic11…ic14)
 * (resources/icon.png, the window and tray icon at run time, is the same rendering at 512×512.)
 * Run `node build/make-icons.mjs` after changing the SVG and commit the results.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'resources/icon.svg'));

/** ICO with PNG entries (Windows Vista and later read them; 256 is written as 0). */
export function icoFrom(pngs) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt8(0, 2);
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...pngs.map((p) => p.data)]);
}

/** ICNS with PNG entries: [type, pixel size]. */
export const ICNS_TYPES = [
  ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
];

export function icnsFrom(bySize) {
  const chunks = ICNS_TYPES.map(([type, size]) => {
    const data = bySize.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + data.length, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

async function render(sizes) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    const out = new Map();
    const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
    for (const size of sizes) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(`<html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`);
      await page.waitForFunction(() => document.images[0]?.complete);
      out.set(size, await page.locator('img').screenshot({ omitBackground: true }));
    }
    return out;
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
  const png = await render(sizes);
  writeFileSync(join(root, 'build/icon.png'), png.get(1024));
  writeFileSync(join(root, 'build/icon.ico'), icoFrom([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: png.get(size) }))));
  writeFileSync(join(root, 'build/icon.icns'), icnsFrom(png));
  console.log('build/icon.png, build/icon.ico, build/icon.icns written');
}

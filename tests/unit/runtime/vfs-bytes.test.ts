/** Files hold bytes: exact binary content, text helpers, growing appends, devices, host volumes. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContainerFs, ImageTree, SubFs, createEmptyDir } from '../../../src-main/runtime/vfs';
import { HostFs } from '../../../src-main/runtime/host-fs';

const BIN = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x0a]);
const tmp = mkdtempSync(join(tmpdir(), 'kubesim-vfs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('vfs: bytes', () => {
  it('binary content is kept exactly; size in bytes; readFile decodes it as UTF-8', () => {
    const fs = createEmptyDir();
    fs.writeFile('/b', BIN);
    expect(fs.readFileBytes('/b').equals(BIN)).toBe(true);
    expect(fs.stat('/b')!.size).toBe(7);
    expect(fs.readFile('/b')).toBe(BIN.toString('utf8'));
    fs.writeFile('/t', 'grüße');
    expect(fs.readFileBytes('/t').equals(Buffer.from('grüße'))).toBe(true);
    expect(fs.stat('/t')!.size).toBe(7);
  });

  it('appends of bytes and text concatenate bytes; a buffer read earlier does not change', () => {
    const fs = createEmptyDir();
    fs.writeFile('/f', '');
    const parts: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      const p = i % 3 === 0 ? Buffer.from(`t${i}é`) : Buffer.from([i & 0xff, 0xff, 0x80]);
      parts.push(p);
      fs.writeFile('/f', i % 3 === 0 ? `t${i}é` : p, { append: true });
      if (i === 100) {
        const early = fs.readFileBytes('/f');
        const copy = Buffer.from(early);
        fs.writeFile('/copy', early);
        fs.writeFile('/copy', Buffer.from([1, 2, 3]), { append: true });
        fs.writeFile('/f', Buffer.from([9]), { append: true });
        parts.push(Buffer.from([9]));
        expect(early.equals(copy)).toBe(true);
        expect(fs.readFileBytes('/copy').equals(Buffer.concat([copy, Buffer.from([1, 2, 3])]))).toBe(true);
      }
    }
    expect(fs.readFileBytes('/f').equals(Buffer.concat(parts))).toBe(true);
  });

  it('an image file given as bytes; a sub-directory view reads bytes too', () => {
    const fs = new ContainerFs(new ImageTree({ '/img/logo.png': BIN, '/img/a.txt': 'a\n' }));
    expect(fs.readFileBytes('/img/logo.png').equals(BIN)).toBe(true);
    const sub = new SubFs(fs, '/img');
    expect(sub.readFileBytes('/logo.png').equals(BIN)).toBe(true);
  });

  it('/dev/null, /dev/zero, /dev/urandom are devices: reads give nothing, NULs, random bytes; writes are dropped', () => {
    const fs = new ContainerFs(new ImageTree({ '/dev': { kind: 'dir', mode: 0o755 } }));
    expect(fs.stat('/dev/urandom')).toMatchObject({ kind: 'file', device: 'urandom', size: 0 });
    expect(fs.readdir('/dev')).toEqual(['null', 'random', 'urandom', 'zero']);
    expect(fs.readFileBytes('/dev/null').length).toBe(0);
    const z = fs.readFileBytes('/dev/zero');
    expect(z.length).toBeGreaterThan(0);
    expect(z.every((b) => b === 0)).toBe(true);
    const r1 = fs.readFileBytes('/dev/urandom');
    const r2 = fs.readFileBytes('/dev/urandom');
    expect(r1.equals(r2)).toBe(false);
    fs.writeFile('/dev/null', 'x');
    expect(fs.readFileBytes('/dev/null').length).toBe(0);
  });

  it('a host volume stores and returns the exact bytes', () => {
    const fs = new HostFs(join(tmp, 'vol'));
    fs.writeFile('/b', BIN);
    fs.writeFile('/b', Buffer.from([0xff]), { append: true });
    expect(fs.readFileBytes('/b').equals(Buffer.concat([BIN, Buffer.from([0xff])]))).toBe(true);
    expect(readFileSync(join(tmp, 'vol', 'b')).equals(Buffer.concat([BIN, Buffer.from([0xff])]))).toBe(true);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, existsSync, rmSync, symlinkSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src-main/client/clock';
import { FsError, HostFs, hostFsUnder } from '../../../src-main/runtime';
import { runtime, settle } from './harness';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kubesim-hostfs-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (err) {
    return err instanceof FsError ? err.code : `not an FsError: ${String(err)}`;
  }
  return undefined;
};

describe('HostFs: a volume on a host directory', () => {
  it('writes, appends, reads, lists, makes and removes directories on disk', () => {
    const root = join(tmp, 'pv');
    const fs = new HostFs(root, () => Date.UTC(2026, 10, 23, 10, 0, 0));
    expect(existsSync(root)).toBe(true);
    fs.writeFile('/f', 'hello\n');
    fs.writeFile('/f', 'again\n', { append: true });
    expect(readFileSync(join(root, 'f'), 'utf8')).toBe('hello\nagain\n');
    expect(fs.readFile('/f')).toBe('hello\nagain\n');
    expect(fs.stat('/f')).toEqual({ kind: 'file', mode: 0o644, size: 12, mtime: Date.UTC(2026, 10, 23, 10, 0, 0) });
    fs.mkdir('/a/b', { parents: true });
    fs.writeFile('/a/b/x.sh', 'echo', { mode: 0o755 });
    expect(statSync(join(root, 'a/b/x.sh')).mode & 0o777).toBe(0o755);
    expect(fs.readdir('/')).toEqual(['a', 'f']);
    expect(fs.stat('/a')?.kind).toBe('dir');
    expect(fs.stat('/nope')).toBeUndefined();
    expect(code(() => fs.readFile('/nope'))).toBe('ENOENT');
    expect(code(() => fs.readFile('/a'))).toBe('EISDIR');
    expect(code(() => fs.writeFile('/a', 'x'))).toBe('EISDIR');
    expect(code(() => fs.writeFile('/missing/f', 'x'))).toBe('ENOENT');
    expect(code(() => fs.mkdir('/a'))).toBe('EEXIST');
    expect(code(() => fs.mkdir('/f/x'))).toBe('ENOTDIR');
    expect(code(() => fs.remove('/a'))).toBe('ENOTEMPTY');
    fs.remove('/a', { recursive: true });
    fs.remove('/f');
    expect(fs.readdir('/')).toEqual([]);
    expect(code(() => fs.remove('/'))).toBe('EACCES');
    expect(code(() => fs.mount('/m'))).toBe('EACCES');
  });

  it('data written survives a new HostFs on the same directory (a restart)', () => {
    new HostFs(join(tmp, 'pv')).writeFile('/data.txt', 'kept');
    expect(new HostFs(join(tmp, 'pv')).readFile('/data.txt')).toBe('kept');
  });

  it('refuses paths that escape the root: .. is clamped, symlinks out (also dangling) are refused', () => {
    const root = join(tmp, 'pv');
    writeFileSync(join(tmp, 'secret'), 'outside');
    const fs = new HostFs(root);
    fs.writeFile('/../../secret', 'inside');
    expect(readFileSync(join(tmp, 'secret'), 'utf8')).toBe('outside');
    expect(readFileSync(join(root, 'secret'), 'utf8')).toBe('inside');
    symlinkSync(join(tmp, 'secret'), join(root, 'out-file'));
    symlinkSync(tmp, join(root, 'out-dir'));
    symlinkSync(join(tmp, 'not-yet'), join(root, 'dangling'));
    symlinkSync(join(root, 'secret'), join(root, 'in-file'));
    expect(code(() => fs.readFile('/out-file'))).toBe('EACCES');
    expect(code(() => fs.writeFile('/out-file', 'x'))).toBe('EACCES');
    expect(code(() => fs.readdir('/out-dir'))).toBe('EACCES');
    expect(code(() => fs.writeFile('/out-dir/new', 'x'))).toBe('EACCES');
    expect(code(() => fs.mkdir('/out-dir/a/b', { parents: true }))).toBe('EACCES');
    expect(code(() => fs.writeFile('/dangling', 'x'))).toBe('EACCES');
    expect(code(() => fs.remove('/out-dir/secret'))).toBe('EACCES');
    expect(fs.stat('/out-file')).toBeUndefined();
    expect(existsSync(join(tmp, 'not-yet'))).toBe(false);
    expect(existsSync(join(tmp, 'new'))).toBe(false);
    expect(existsSync(join(tmp, 'a'))).toBe(false);
    expect(readFileSync(join(tmp, 'secret'), 'utf8')).toBe('outside');
    // A link that stays inside the root is followed.
    expect(fs.readFile('/in-file')).toBe('inside');
  });
});

describe('hostFsUnder: only folders strictly inside the parent', () => {
  it('gives a HostFs for <parent>/<pv>, nothing for the parent itself, other paths or links out', () => {
    const parent = join(tmp, 'data', 'volumes');
    mkdirSync(parent, { recursive: true });
    mkdirSync(join(tmp, 'elsewhere'));
    symlinkSync(join(tmp, 'elsewhere'), join(parent, 'link'));
    expect(hostFsUnder(parent, join(parent, 'pvc-1'))).toBeInstanceOf(HostFs);
    expect(existsSync(join(parent, 'pvc-1'))).toBe(true);
    expect(hostFsUnder(parent, parent)).toBeUndefined();
    expect(hostFsUnder(parent, join(parent, '..', 'pki'))).toBeUndefined();
    expect(hostFsUnder(parent, '/var/lib/kubesim/volumes/pvc-1')).toBeUndefined();
    expect(hostFsUnder(parent, '/tmp')).toBeUndefined();
    expect(hostFsUnder(parent, join(parent, 'link'))).toBeUndefined();
    expect(hostFsUnder(parent, join(parent, 'link', 'sub'))).toBeUndefined();
    expect(existsSync(join(tmp, 'elsewhere', 'sub'))).toBe(false);
    expect(hostFsUnder(join(tmp, 'no-such'), join(tmp, 'no-such', 'pvc-1'))).toBeUndefined();
  });
});

describe('a container writing into a HostFs volume', () => {
  it("busybox sh -c 'echo hello > /data/f' lands in the host directory; a later container reads it", async () => {
    const root = join(tmp, 'pv');
    const run = async (script: string, fs: HostFs) => {
      const l = runtime.lookup('busybox');
      if (!l.ok) throw new Error(l.message);
      let out = '';
      const c = runtime.start({
        id: 'f'.repeat(64),
        name: 'c',
        image: l.image,
        command: ['sh', '-c', script],
        env: [],
        tty: false,
        stdin: false,
        pod: { namespace: 'default', name: 'p', uid: 'u', hostname: 'p', nodeName: 'n' },
        mounts: [{ mountPath: '/data', fs }],
        clock: new FakeClock(0),
        stdout: (s) => (out += s),
        stderr: (s) => (out += s),
      });
      await settle();
      expect((await c.exited).exitCode).toBe(0);
      return out;
    };
    expect(await run('echo hello > /data/f; mkdir -p /data/d; echo x >> /data/d/g; ls /data', new HostFs(root))).toBe('d\nf\n');
    expect(readFileSync(join(root, 'f'), 'utf8')).toBe('hello\n');
    expect(readFileSync(join(root, 'd', 'g'), 'utf8')).toBe('x\n');
    expect(await run('cat /data/f; rm /data/f; ls /data', new HostFs(root))).toBe('hello\nd\n');
    expect(existsSync(join(root, 'f'))).toBe(false);
  });
});

/**
 * A volume backed by a real directory on the host (a PersistentVolume's folder under
 * `<dataDir>/volumes/`), so what containers write there is on disk and outlives the process.
 * Paths are relative to the root; any path that escapes it (`..` is normalised away, symlinks
 * are resolved and must stay under the root) is refused with EACCES (`stat` answers "missing").
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, rmdirSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname as hostDirname, join, resolve, sep } from 'node:path';
import { FsError, MAX_FILE_BYTES, resolvePath, type FileData, type FileSystem, type FsErrorCode, type FsStat } from './vfs';

const CODES: ReadonlySet<string> = new Set<FsErrorCode>(['ENOENT', 'EEXIST', 'EISDIR', 'ENOTDIR', 'ENOTEMPTY', 'EROFS', 'EACCES', 'ENOSPC']);

function fsError(err: unknown, path: string): FsError {
  if (err instanceof FsError) return err;
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  return new FsError(CODES.has(code) ? (code as FsErrorCode) : code === 'EDQUOT' ? 'ENOSPC' : 'EACCES', path);
}

function within(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

export class HostFs implements FileSystem {
  /** The root with symlinks resolved (the prefix every resolved path must keep). */
  private readonly realRoot: string;

  /**
   * @param root the host directory (created if missing, as hostPath `DirectoryOrCreate`)
   * @param now the cluster clock, for file times (default: the host's own times)
   */
  constructor(
    root: string,
    private readonly now?: () => number,
  ) {
    mkdirSync(root, { recursive: true });
    this.realRoot = realpathSync(root);
  }

  /**
   * The host path for a volume path, after checking that it (or, if it does not exist yet, its
   * nearest existing ancestor) resolves inside the root. A dangling symlink is refused: writing
   * through it would create its target wherever it points.
   */
  private host(path: string): string {
    const rel = resolvePath('/', path);
    const target = rel === '/' ? this.realRoot : join(this.realRoot, rel);
    for (let p = target; ; ) {
      let real: string;
      try {
        real = realpathSync(p);
      } catch {
        // Missing: check the parent. Present but unresolvable: a dangling symlink.
        if (lstatSync(p, { throwIfNoEntry: false }) || p === this.realRoot) throw new FsError(p === this.realRoot ? 'ENOENT' : 'EACCES', path);
        p = hostDirname(p);
        continue;
      }
      if (!within(this.realRoot, real)) throw new FsError('EACCES', path);
      return target;
    }
  }

  private touch(p: string): void {
    if (!this.now) return;
    const t = this.now() / 1000;
    utimesSync(p, t, t);
  }

  stat(path: string): FsStat | undefined {
    let p: string;
    try {
      p = this.host(path);
    } catch {
      return undefined;
    }
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return undefined;
    const dir = st.isDirectory();
    return { kind: dir ? 'dir' : 'file', mode: st.mode & 0o7777, size: dir ? 4096 : st.size, mtime: st.mtimeMs };
  }

  readFile(path: string): string {
    try {
      return readFileSync(this.host(path), 'utf8');
    } catch (err) {
      throw fsError(err, path);
    }
  }

  readFileBytes(path: string): Buffer {
    try {
      return readFileSync(this.host(path));
    } catch (err) {
      throw fsError(err, path);
    }
  }

  writeFile(path: string, data: FileData, opts: { append?: boolean; mode?: number } = {}): void {
    try {
      const p = this.host(path);
      const prev = statSync(p, { throwIfNoEntry: false });
      if (prev?.isDirectory()) throw new FsError('EISDIR', path);
      if ((opts.append && prev ? prev.size : 0) + Buffer.byteLength(data) > MAX_FILE_BYTES) throw new FsError('ENOSPC', path);
      writeFileSync(p, data, { flag: opts.append ? 'a' : 'w', mode: opts.mode ?? 0o644 });
      if (opts.mode !== undefined) chmodSync(p, opts.mode);
      this.touch(p);
    } catch (err) {
      throw fsError(err, path);
    }
  }

  readdir(path: string): string[] {
    try {
      return readdirSync(this.host(path)).sort();
    } catch (err) {
      throw fsError(err, path);
    }
  }

  mkdir(path: string, opts: { parents?: boolean } = {}): void {
    try {
      const p = this.host(path);
      const st = statSync(p, { throwIfNoEntry: false });
      if (st) {
        if (opts.parents && st.isDirectory()) return;
        throw new FsError('EEXIST', path);
      }
      mkdirSync(p, { recursive: opts.parents === true, mode: 0o755 });
      this.touch(p);
    } catch (err) {
      throw fsError(err, path);
    }
  }

  remove(path: string, opts: { recursive?: boolean } = {}): void {
    try {
      const p = this.host(path);
      if (p === this.realRoot) throw new FsError('EACCES', path);
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (!st) throw new FsError('ENOENT', path);
      if (!st.isDirectory()) unlinkSync(p);
      else if (opts.recursive) rmSync(p, { recursive: true });
      else rmdirSync(p);
    } catch (err) {
      throw fsError(err, path);
    }
  }

  mount(path: string): void {
    throw new FsError('EACCES', path);
  }
}

/**
 * A `HostFs` on `path` if it lies strictly inside `parent` (both resolved, symlinks included),
 * else undefined: the kubelet keeps arbitrary hostPath volumes in memory and puts only the
 * cluster's own volume folders (`<dataDir>/volumes/<pv>`) on disk.
 */
export function hostFsUnder(parent: string, path: string, now?: () => number): HostFs | undefined {
  const base = resolve(parent);
  const abs = resolve(path);
  if (abs === base || !within(base, abs) || !existsSync(base)) return undefined;
  const realBase = realpathSync(base);
  // The path, or (not created yet) its nearest existing ancestor, must resolve inside `parent`.
  let near = abs;
  while (!existsSync(near)) {
    if (lstatSync(near, { throwIfNoEntry: false })) return undefined;
    near = hostDirname(near);
  }
  const real = realpathSync(near);
  if ((near === abs && real === realBase) || !within(realBase, real)) return undefined;
  return new HostFs(abs, now);
}

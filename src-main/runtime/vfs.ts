/**
 * A container's filesystem: the image's read-only tree (built once per image and shared by every
 * container of it), a writable layer per container (created on the first write, so idle
 * containers cost nothing), and mounts (volumes, later) that take over a subtree.
 * A file holds bytes: written as text (a string, whose bytes are its UTF-8 encoding) or as exact
 * bytes (a Uint8Array). `readFile` gives text (bytes decoded as UTF-8), `readFileBytes` the exact
 * bytes; each is cheap for files written the same way (the other form is made once and kept).
 * `/dev/null`, `/dev/zero`, `/dev/random` and `/dev/urandom` are character devices (`stat().device`).
 */
import { randomFillSync } from 'node:crypto';
import { Input } from './streams';

/** A file's content: text (its UTF-8 bytes) or bytes. */
export type FileData = string | Uint8Array;

export type FsNode =
  | { kind: 'dir'; mode: number; mtime?: number }
  /** `program` names the in-process program an executable runs (see programs.ts). */
  | { kind: 'file'; mode: number; data: FileData; program?: string; mtime?: number };

/** The character devices every container has in /dev. */
export type Device = 'null' | 'zero' | 'random' | 'urandom';

export interface FsStat {
  kind: 'dir' | 'file';
  mode: number;
  size: number;
  mtime: number;
  program?: string;
  /** A character device (`/dev/zero` …): read it as a stream (`readDevice`), it has no size. */
  device?: Device;
}

export type FsErrorCode = 'ENOENT' | 'EEXIST' | 'EISDIR' | 'ENOTDIR' | 'ENOTEMPTY' | 'EROFS' | 'EACCES' | 'ENOSPC';

/** Largest file the writable layer keeps (the simulated disk is full beyond it). */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

const MESSAGES: Record<FsErrorCode, string> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ENOTEMPTY: 'Directory not empty',
  EROFS: 'Read-only file system',
  EACCES: 'Permission denied',
  ENOSPC: 'No space left on device',
};

export class FsError extends Error {
  constructor(
    readonly code: FsErrorCode,
    readonly path: string,
  ) {
    super(MESSAGES[code]);
  }
}

/** What a program sees; paths are absolute (use `resolvePath` for relative ones). */
export interface FileSystem {
  stat(path: string): FsStat | undefined;
  /** The content as text (bytes decoded as UTF-8, invalid sequences as U+FFFD). */
  readFile(path: string): string;
  /** The content's exact bytes (shared: do not modify the buffer). */
  readFileBytes(path: string): Buffer;
  /** Text (stored as its UTF-8 bytes) or bytes (kept exactly; the buffer must not change afterwards). */
  writeFile(path: string, data: FileData, opts?: { append?: boolean; mode?: number }): void;
  readdir(path: string): string[];
  mkdir(path: string, opts?: { parents?: boolean }): void;
  remove(path: string, opts?: { recursive?: boolean }): void;
  /** Attaches another filesystem at `path` (a volume); its paths are relative to its own root. */
  mount(path: string, fs: FileSystem): void;
}

/** Joins `path` onto `cwd` and normalises `.`, `..` and repeated slashes. */
export function resolvePath(cwd: string, path: string): string {
  if (path.charCodeAt(0) === 47 && !path.includes('/.') && !path.includes('//') && (path.length === 1 || !path.endsWith('/'))) return path;
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return '/' + out.join('/');
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function basename(path: string): string {
  const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return p.slice(p.lastIndexOf('/') + 1);
}

/** The bytes of file data (a Uint8Array as a Buffer view, not copied). */
export function dataBytes(d: FileData): Buffer {
  if (typeof d === 'string') return Buffer.from(d, 'utf8');
  return Buffer.isBuffer(d) ? d : Buffer.from(d.buffer, d.byteOffset, d.byteLength);
}

/** The size of file data in bytes. */
export function dataSize(d: FileData): number {
  return typeof d === 'string' ? Buffer.byteLength(d) : d.byteLength;
}

/** The other form of a node's data, made on first use (image files are shared by containers). */
const converted = new WeakMap<object, string | Buffer>();

function nodeText(n: { data: FileData }): string {
  const d = n.data;
  if (typeof d === 'string') return d;
  let t = converted.get(n) as string | undefined;
  if (t === undefined) converted.set(n, (t = dataBytes(d).toString('utf8')));
  return t;
}

function nodeBytes(n: { data: FileData }): Buffer {
  const d = n.data;
  if (typeof d !== 'string') return dataBytes(d);
  let b = converted.get(n) as Buffer | undefined;
  if (b === undefined) converted.set(n, (b = Buffer.from(d, 'utf8')));
  return b;
}

/** Byte storage that appends grow in place (doubling), so `cat > f` of a big stream stays linear. */
const growable = new WeakMap<object, Buffer>();

/** `prev`'s data with `more` appended; the new node (`into`) owns the grown storage. */
function appended(prev: { data: FileData }, more: FileData, into: object): FileData {
  const p = prev.data;
  if (typeof p === 'string' && typeof more === 'string') return p + more;
  const head = typeof p === 'string' ? nodeBytes(prev) : p;
  const tail = dataBytes(more);
  const len = head.byteLength + tail.length;
  let store = growable.get(prev);
  // the storage past `head` is free only while `head` is its prefix (this node's own data)
  if (!store || store.length < len || store.buffer !== head.buffer || store.byteOffset !== head.byteOffset) {
    const grown = Buffer.allocUnsafe(Math.max(len, Math.min(2 * len, len + 64 * 1024 * 1024), 4096));
    grown.set(head, 0);
    store = grown;
  }
  store.set(tail, head.byteLength);
  growable.delete(prev);
  growable.set(into, store);
  return store.subarray(0, len);
}

const DEVICES: ReadonlyMap<string, Device> = new Map<string, Device>([
  ['/dev/null', 'null'],
  ['/dev/zero', 'zero'],
  ['/dev/random', 'random'],
  ['/dev/urandom', 'urandom'],
]);

/** The device at `path` in every container (unless a volume is mounted over /dev). */
export function deviceAt(path: string): Device | undefined {
  return DEVICES.get(path);
}

/** One read of `n` bytes from a device: nothing from /dev/null, NULs from /dev/zero, random bytes from the others. */
export function readDevice(dev: Device, n: number): Buffer {
  if (dev === 'null') return Buffer.alloc(0);
  if (dev === 'zero') return Buffer.alloc(n);
  return randomFillSync(Buffer.allocUnsafe(n));
}

/** What a whole-file read of an endless device gives (stream-aware tools read it block by block). */
export const DEVICE_BLOCK = 65_536;

/** A device opened for reading: NULs or random bytes block by block, for ever (/dev/null: nothing). */
export function deviceInput(dev: Device): Input {
  return dev === 'null' ? Input.empty() : Input.pull(() => readDevice(dev, DEVICE_BLOCK));
}

/** An image's files: a frozen tree with a child index, shared by all containers of the image. */
export class ImageTree {
  readonly nodes = new Map<string, FsNode>();
  readonly children = new Map<string, Set<string>>();

  constructor(files: Record<string, FileData | FsNode>) {
    this.addDir('/');
    for (const [path, v] of Object.entries(files)) {
      const node: FsNode = typeof v === 'string' || v instanceof Uint8Array ? { kind: 'file', mode: 0o644, data: v } : v;
      this.add(resolvePath('/', path), node);
    }
  }

  private addDir(path: string): void {
    if (this.nodes.has(path)) return;
    this.nodes.set(path, { kind: 'dir', mode: 0o755 });
    this.children.set(path, new Set());
    if (path !== '/') {
      this.addDir(dirname(path));
      this.children.get(dirname(path))!.add(basename(path));
    }
  }

  private add(path: string, node: FsNode): void {
    if (node.kind === 'dir') {
      this.addDir(path);
      this.nodes.set(path, node);
      return;
    }
    this.addDir(dirname(path));
    this.nodes.set(path, node);
    this.children.get(dirname(path))!.add(basename(path));
  }
}

const WHITEOUT = null;

/** A filesystem seen through a sub-directory of another (`subPath`), optionally read-only. */
export class SubFs implements FileSystem {
  constructor(
    private readonly base: FileSystem,
    private readonly root: string,
    private readonly readOnly = false,
  ) {}
  private p(path: string): string {
    return resolvePath('/', `${this.root}/${path}`);
  }
  private ro(path: string): void {
    if (this.readOnly) throw new FsError('EROFS', path);
  }
  stat(path: string): FsStat | undefined {
    return this.base.stat(this.p(path));
  }
  readFile(path: string): string {
    return this.base.readFile(this.p(path));
  }
  readFileBytes(path: string): Buffer {
    return this.base.readFileBytes(this.p(path));
  }
  writeFile(path: string, data: FileData, opts?: { append?: boolean; mode?: number }): void {
    this.ro(path);
    this.base.writeFile(this.p(path), data, opts);
  }
  readdir(path: string): string[] {
    return this.base.readdir(this.p(path));
  }
  mkdir(path: string, opts?: { parents?: boolean }): void {
    this.ro(path);
    this.base.mkdir(this.p(path), opts);
  }
  remove(path: string, opts?: { recursive?: boolean }): void {
    this.ro(path);
    this.base.remove(this.p(path), opts);
  }
  mount(): void {
    throw new FsError('EACCES', this.root);
  }
}

const EMPTY_TREE = new ImageTree({});

/** An empty in-memory filesystem (emptyDir): mount the same object into several containers to share it. */
export function createEmptyDir(now: () => number = () => 0): ContainerFs {
  return new ContainerFs(EMPTY_TREE, now);
}

/** The per-container view: image tree + lazily created writable layer + mounts. */
export class ContainerFs implements FileSystem {
  private upper: Map<string, FsNode | typeof WHITEOUT> | undefined;
  private mounts: { path: string; fs: FileSystem }[] = [];
  /** Files the runtime provides (kubelet-managed /etc/hosts …), computed when read. */
  private generated: Map<string, () => string> | undefined;
  /** Bumped on every change (lets callers cache lookups such as $PATH searches). */
  version = 0;

  constructor(
    private readonly lower: ImageTree,
    private readonly now: () => number = () => 0,
  ) {}

  mount(path: string, fs: FileSystem): void {
    this.version++;
    const p = resolvePath('/', path);
    this.mkdir(p, { parents: true });
    this.mounts.push({ path: p, fs });
    this.mounts.sort((a, b) => b.path.length - a.path.length);
  }

  private mountFor(path: string): { fs: FileSystem; rel: string } | undefined {
    for (const m of this.mounts) {
      if (path === m.path) return { fs: m.fs, rel: '/' };
      if (path.startsWith(m.path + '/')) return { fs: m.fs, rel: path.slice(m.path.length) };
    }
    return undefined;
  }

  /** Provides `path` as a file whose content is computed when read (until it is written to). */
  provide(path: string, content: () => string): void {
    (this.generated ??= new Map()).set(path, content);
  }

  private node(path: string): FsNode | undefined {
    const u = this.upper?.get(path);
    if (u !== undefined) return u ?? undefined;
    if (this.upper?.has(path)) return undefined;
    const gen = this.generated?.get(path);
    if (gen) return { kind: 'file', mode: 0o644, data: gen() };
    return this.lower.nodes.get(path);
  }

  private layer(): Map<string, FsNode | typeof WHITEOUT> {
    return (this.upper ??= new Map());
  }

  private parentDir(path: string): void {
    const parent = dirname(path);
    const st = this.stat(parent);
    if (!st) throw new FsError('ENOENT', path);
    if (st.kind !== 'dir') throw new FsError('ENOTDIR', path);
  }

  stat(path: string): FsStat | undefined {
    const m = this.mountFor(path);
    if (m) return m.fs.stat(m.rel);
    const dev = this.device(path);
    if (dev) return { kind: 'file', mode: 0o666, size: 0, mtime: 0, device: dev };
    const n = this.node(path);
    if (!n) return undefined;
    return n.kind === 'dir'
      ? { kind: 'dir', mode: n.mode, size: 4096, mtime: n.mtime ?? 0 }
      : { kind: 'file', mode: n.mode, size: dataSize(n.data), mtime: n.mtime ?? 0, program: n.program };
  }

  /** The device at `path`, unless the writable layer replaced it or a volume covers /dev. */
  private device(path: string): Device | undefined {
    const dev = DEVICES.get(path);
    return dev && !this.upper?.has(path) ? dev : undefined;
  }

  private fileNode(path: string): Extract<FsNode, { kind: 'file' }> {
    const n = this.node(path);
    if (!n) throw new FsError('ENOENT', path);
    if (n.kind === 'dir') throw new FsError('EISDIR', path);
    return n;
  }

  readFile(path: string): string {
    const m = this.mountFor(path);
    if (m) return m.fs.readFile(m.rel);
    const dev = this.device(path);
    if (dev) return readDevice(dev, DEVICE_BLOCK).toString('utf8');
    return nodeText(this.fileNode(path));
  }

  readFileBytes(path: string): Buffer {
    const m = this.mountFor(path);
    if (m) return m.fs.readFileBytes(m.rel);
    const dev = this.device(path);
    if (dev) return readDevice(dev, DEVICE_BLOCK);
    return nodeBytes(this.fileNode(path));
  }

  writeFile(path: string, data: FileData, opts: { append?: boolean; mode?: number } = {}): void {
    this.version++;
    const m = this.mountFor(path);
    if (m) return m.fs.writeFile(m.rel, data, opts);
    if (this.device(path)) return; // writes to a device are taken and dropped
    const n = this.node(path);
    if (n?.kind === 'dir') throw new FsError('EISDIR', path);
    if (!n) this.parentDir(path);
    const prev = n?.kind === 'file' ? n : undefined;
    if ((opts.append && prev ? prev.data.length : 0) + data.length > MAX_FILE_BYTES) throw new FsError('ENOSPC', path);
    const node: Extract<FsNode, { kind: 'file' }> = {
      kind: 'file',
      mode: opts.mode ?? prev?.mode ?? 0o644,
      data,
      program: prev?.program,
      mtime: this.now(),
    };
    if (opts.append && prev) node.data = appended(prev, data, node);
    this.layer().set(path, node);
  }

  readdir(path: string): string[] {
    const m = this.mountFor(path);
    if (m) return m.fs.readdir(m.rel);
    const n = this.node(path);
    if (!n) throw new FsError('ENOENT', path);
    if (n.kind !== 'dir') throw new FsError('ENOTDIR', path);
    const names = new Set(this.lower.nodes.get(path)?.kind === 'dir' ? this.lower.children.get(path) : []);
    if (this.upper) {
      const prefix = path === '/' ? '/' : path + '/';
      for (const [p, v] of this.upper) {
        if (!p.startsWith(prefix) || p === path) continue;
        const rest = p.slice(prefix.length);
        if (rest.includes('/')) continue;
        if (v === WHITEOUT) names.delete(rest);
        else names.add(rest);
      }
    }
    for (const mt of this.mounts) if (dirname(mt.path) === path) names.add(basename(mt.path));
    if (path === '/dev') for (const d of DEVICES.keys()) if (!this.upper?.has(d)) names.add(basename(d));
    return [...names].sort();
  }

  mkdir(path: string, opts: { parents?: boolean } = {}): void {
    this.version++;
    const m = this.mountFor(path);
    if (m) return m.fs.mkdir(m.rel, opts);
    const st = this.stat(path);
    if (st) {
      if (opts.parents && st.kind === 'dir') return;
      throw new FsError('EEXIST', path);
    }
    if (opts.parents && path !== '/') {
      const parent = this.stat(dirname(path));
      if (parent && parent.kind !== 'dir') throw new FsError('ENOTDIR', path);
      this.mkdir(dirname(path), opts);
    } else this.parentDir(path);
    this.layer().set(path, { kind: 'dir', mode: 0o755, mtime: this.now() });
  }

  remove(path: string, opts: { recursive?: boolean } = {}): void {
    this.version++;
    const m = this.mountFor(path);
    if (m && m.rel !== '/') return m.fs.remove(m.rel, opts);
    const st = this.stat(path);
    if (!st) throw new FsError('ENOENT', path);
    if (st.kind === 'dir') {
      const kids = this.readdir(path);
      if (kids.length && !opts.recursive) throw new FsError('ENOTEMPTY', path);
      for (const k of kids) this.remove(path === '/' ? `/${k}` : `${path}/${k}`, opts);
    }
    this.layer().set(path, WHITEOUT);
  }
}

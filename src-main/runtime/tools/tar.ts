/**
 * tar (busybox applet / GNU tar): create (`c`), extract (`x`), list (`t`) ustar/GNU archives over
 * the container's filesystem, on a file or stdin/stdout (`f -`), with `v`, `z` (gzip), `-C dir`,
 * `m`, `O`, `--no-same-owner`/`--no-same-permissions` — what `kubectl cp` runs in the container
 * (`tar cf - /path`, `tar -xmf - -C /dir`). Errors in each tar's wording.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Tool, ToolStyle } from './common';
import type { ProcessContext } from '../program';
import { FsError, resolvePath } from '../vfs';
import { endBlocks, entryBlocks, parseArchive, recordPadding, TarFormatError, type TarEntry } from './tar-format';

interface TarOpts {
  mode?: 'c' | 'x' | 't';
  file?: string;
  dir?: string;
  verbose: boolean;
  gzip: boolean;
  toStdout: boolean;
  samePerms: boolean;
  operands: string[];
}

const VALUE_FLAGS = 'fCbT';
const LONG: Record<string, string> = {
  '--create': 'c', '--extract': 'x', '--get': 'x', '--list': 't', '--verbose': 'v', '--gzip': 'z', '--gunzip': 'z',
  '--to-stdout': 'O', '--touch': 'm', '--file': 'f', '--directory': 'C', '--no-same-owner': '', '--no-same-permissions': 'P-',
  '--same-owner': '', '--same-permissions': 'p', '--preserve-permissions': 'p', '--numeric-owner': '', '--overwrite': '',
};

/** Options as GNU/busybox take them: a first word without `-` is a bundle (`cf`, `xzvf`); later options anywhere. */
function parseArgs(args: string[]): TarOpts | { bad: string } {
  const o: TarOpts = { verbose: false, gzip: false, toStdout: false, samePerms: true, operands: [] };
  const pending: string[] = [];
  const flag = (f: string, take: () => string | undefined): string | undefined => {
    if (f === 'c' || f === 'x' || f === 't') o.mode = f;
    else if (f === 'v') o.verbose = true;
    else if (f === 'z') o.gzip = true;
    else if (f === 'O') o.toStdout = true;
    else if (f === 'p') o.samePerms = true;
    else if (f === 'P-') o.samePerms = false;
    else if (f === 'm' || f === 'o' || f === 'h' || f === 'P' || f === '') {
      /* times are now anyway (m); owners are root's */
    } else if (VALUE_FLAGS.includes(f)) {
      const v = take();
      if (v === undefined) return `-${f}`;
      if (f === 'f') o.file = v;
      else if (f === 'C') o.dir = v;
    } else return f;
    return undefined;
  };
  let i = 0;
  if (args[0] && !args[0].startsWith('-')) {
    // traditional bundle: value letters take the next words in order
    const bundle = args[0];
    i = 1;
    for (const f of bundle) {
      const bad = flag(f, () => args[i++]);
      if (bad) return { bad };
    }
  }
  let opts = true;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (!opts || a === '-' || !a.startsWith('-')) {
      pending.push(a);
      continue;
    }
    if (a === '--') {
      opts = false;
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      const f = LONG[name];
      if (f === undefined) return { bad: name };
      const bad = flag(f, () => (eq >= 0 ? a.slice(eq + 1) : args[++i]));
      if (bad) return { bad };
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      if (VALUE_FLAGS.includes(f)) {
        const rest = a.slice(j + 1);
        const bad = flag(f, () => (rest ? rest : args[++i]));
        if (bad) return { bad };
        break;
      }
      const bad = flag(f, () => undefined);
      if (bad) return { bad };
    }
  }
  o.operands = pending;
  return o;
}

const MODE_CHARS = 'rwxrwxrwx';

function modeString(type: string, mode: number): string {
  let s = type === '5' ? 'd' : type === '2' ? 'l' : type === '1' ? 'h' : '-';
  for (let i = 0; i < 9; i++) s += mode & (1 << (8 - i)) ? MODE_CHARS[i] : '-';
  return s;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `tar tv` lines: GNU `-rw-r--r-- root/root        12 2026-11-23 10:00 name`, busybox with seconds. */
function listLine(e: TarEntry, style: ToolStyle): string {
  const d = new Date(e.mtime * 1000);
  const date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  const owner = `${e.uname || e.uid}/${e.gname || e.gid}`;
  const link = e.type === '2' ? ` -> ${e.linkname}` : e.type === '1' ? ` link to ${e.linkname}` : '';
  if (style === 'busybox') return `${modeString(e.type, e.mode)} ${owner} ${String(e.size).padStart(9)} ${date}:${two(d.getUTCSeconds())} ${e.name}${link}\n`;
  const width = Math.max(0, 18 - owner.length);
  return `${modeString(e.type, e.mode)} ${owner} ${String(e.size).padStart(width)} ${date} ${e.name}${link}\n`;
}

class Reporter {
  failed = false;
  constructor(
    private readonly ctx: ProcessContext,
    readonly style: ToolStyle,
  ) {}
  say(msg: string): void {
    this.ctx.stderr.write(`tar: ${msg}\n`);
  }
  /** A problem with one member: go on, fail at the end. */
  error(msg: string): void {
    this.say(msg);
    this.failed = true;
  }
  /** GNU's fatal errors end with `Error is not recoverable`; busybox just says what went wrong. */
  fatal(msg: string): number {
    this.say(msg);
    if (this.style === 'gnu') this.say('Error is not recoverable: exiting now');
    return this.style === 'gnu' ? 2 : 1;
  }
  status(): number {
    if (!this.failed) return 0;
    if (this.style === 'gnu') {
      this.say('Exiting with failure status due to previous errors');
      return 2;
    }
    this.say('error exit delayed from previous errors');
    return 1;
  }
}

function why(e: unknown): string {
  return e instanceof FsError ? e.message : String((e as Error)?.message ?? e);
}

export const tar: Tool = async (ctx, style) => {
  const parsed = parseArgs(ctx.argv.slice(1));
  const r = new Reporter(ctx, style);
  if ('bad' in parsed) {
    const b = parsed.bad;
    if (style === 'busybox') ctx.stderr.write(b.startsWith('--') ? `tar: unrecognized option '${b}'\n` : `tar: invalid option -- '${b.replace(/^-/, '')}'\n`);
    else ctx.stderr.write(`${b.startsWith('--') ? `tar: unrecognized option '${b}'` : b.startsWith('-') ? `tar: option requires an argument -- '${b.slice(1)}'` : `tar: invalid option -- '${b}'`}\nTry 'tar --help' or 'tar --usage' for more information.\n`);
    return style === 'gnu' ? 2 : 1;
  }
  const o = parsed;
  if (!o.mode) {
    if (style === 'gnu') ctx.stderr.write("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\nTry 'tar --help' or 'tar --usage' for more information.\n");
    else ctx.stderr.write('BusyBox tar: need one of -c, -x or -t\nUsage: tar c|x|t [-ZzJjahmvokO] [-f TARFILE] [-C DIR] [-T FILE] [-X FILE] [LONGOPT]... [FILE]...\n');
    return style === 'gnu' ? 2 : 1;
  }
  const file = o.file ?? '-';
  const base = o.dir !== undefined ? resolvePath(ctx.cwd, o.dir) : ctx.cwd;
  if (o.dir !== undefined) {
    const st = ctx.host.fs.stat(base);
    if (!st || st.kind !== 'dir') {
      const msg = !st ? 'No such file or directory' : 'Not a directory';
      return style === 'gnu' ? r.fatal(`${o.dir}: Cannot open: ${msg}`) : r.fatal(`can't change directory to '${o.dir}': ${msg}`);
    }
  }
  if (o.mode === 'c') return create(ctx, o, file, base, r);
  return extractOrList(ctx, o, file, base, r);
};

async function create(ctx: ProcessContext, o: TarOpts, file: string, base: string, r: Reporter): Promise<number> {
  const fs = ctx.host.fs;
  if (!o.operands.length) {
    if (r.style === 'gnu') {
      ctx.stderr.write("tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.\n");
      return 2;
    }
    return r.fatal('empty archive');
  }
  const chunks: Buffer[] = [];
  let warned = false;
  const verboseOut = file === '-' ? ctx.stderr : ctx.stdout;
  const now = Math.floor(ctx.host.clock.now() / 1000);
  const add = (path: string, name: string) => {
    const st = fs.stat(path);
    const absolute = name.startsWith('/');
    // GNU tar says so before it looks at the file; busybox once it archives one
    if (absolute && !warned && (st || r.style === 'gnu')) {
      r.say(r.style === 'gnu' ? "Removing leading `/' from member names" : "removing leading '/' from member names");
      warned = true;
    }
    if (!st) {
      r.error(r.style === 'gnu' ? `${name}: Cannot stat: No such file or directory` : `${name}: No such file or directory`);
      return;
    }
    const member = absolute ? name.replace(/^\/+/, '') : name;
    // GNU's verbose listing shows names as given, busybox's as archived
    const shown = (m: string) => (r.style === 'gnu' && absolute ? `/${m}` : m);
    const mtime = st.mtime ? Math.floor(st.mtime / 1000) : now;
    const common = { mode: st.mode, mtime, uid: 0, gid: 0, uname: 'root', gname: 'root', linkname: '' };
    if (st.kind === 'dir') {
      if (member) {
        const dirName = member.endsWith('/') ? member : `${member}/`;
        chunks.push(entryBlocks({ ...common, name: dirName, type: '5', size: 0, data: Buffer.alloc(0) }));
        if (o.verbose) verboseOut.write(`${shown(dirName)}\n`);
      }
      let kids: string[];
      try {
        kids = fs.readdir(path);
      } catch (e) {
        r.error(`${name}: Cannot open: ${why(e)}`);
        return;
      }
      const prefix = name.endsWith('/') ? name : `${name}/`;
      for (const k of kids) add(path === '/' ? `/${k}` : `${path}/${k}`, `${prefix}${k}`);
      return;
    }
    let data: Buffer;
    try {
      data = fs.readFileBytes(path);
    } catch (e) {
      r.error(`${name}: Cannot open: ${why(e)}`);
      return;
    }
    chunks.push(entryBlocks({ ...common, name: member, type: '0', size: data.length, data }));
    if (o.verbose) verboseOut.write(`${shown(member)}\n`);
  };
  for (const operand of o.operands) {
    ctx.host.checkAlive();
    add(resolvePath(base, operand), operand);
  }
  chunks.push(endBlocks());
  let archive = Buffer.concat(chunks);
  if (r.style === 'gnu') archive = Buffer.concat([archive, recordPadding(archive.length)]);
  if (o.gzip) archive = gzipSync(archive);
  if (file === '-') {
    await writeOut(ctx, archive);
  } else {
    try {
      fs.writeFile(resolvePath(ctx.cwd, file), archive);
    } catch (e) {
      return r.fatal(r.style === 'gnu' ? `${file}: Cannot open: ${why(e)}` : `can't open '${file}': ${why(e)}`);
    }
  }
  return r.status();
}

/** Writes the archive's bytes to stdout in 64 KiB pieces, honouring the reader's back-pressure. */
async function writeOut(ctx: ProcessContext, b: Buffer): Promise<void> {
  const piece = 64 * 1024;
  for (let i = 0; i < b.length; i += piece) {
    ctx.stdout.write(b.subarray(i, i + piece));
    const d = ctx.stdout.drain?.();
    if (d) await d;
  }
}

function decode(c: Buffer, gzip: boolean): { entries: TarEntry[] } | { error: 'gzip' | TarFormatError } {
  let raw = c;
  const isGz = c.length >= 2 && c[0] === 0x1f && c[1] === 0x8b;
  if (gzip || isGz) {
    try {
      raw = gunzipSync(c);
    } catch {
      return { error: 'gzip' };
    }
  }
  if (!raw.length) return { entries: [] };
  try {
    return { entries: parseArchive(raw) };
  } catch (e) {
    if (e instanceof TarFormatError) return { error: e };
    throw e;
  }
}

async function extractOrList(ctx: ProcessContext, o: TarOpts, file: string, base: string, r: Reporter): Promise<number> {
  const fs = ctx.host.fs;
  let archive: Buffer;
  if (file === '-') archive = await ctx.stdin.readAllBytes();
  else {
    try {
      archive = fs.readFileBytes(resolvePath(ctx.cwd, file));
    } catch (e) {
      return r.fatal(r.style === 'gnu' ? `${file}: Cannot open: ${why(e)}` : `can't open '${file}': ${why(e)}`);
    }
  }
  const decoded = decode(archive, o.gzip);
  if ('error' in decoded) {
    const e = decoded.error;
    if (e === 'gzip') {
      if (r.style === 'gnu') {
        ctx.stderr.write(`gzip: ${file === '-' ? 'stdin' : file}: not in gzip format\n`);
        r.say('Child returned status 1');
        r.say('Error is not recoverable: exiting now');
        return 2;
      }
      return r.fatal('invalid magic');
    }
    if (e.kind === 'not-tar') {
      if (r.style === 'gnu') {
        r.error('This does not look like a tar archive');
        return r.status();
      }
      return r.fatal('invalid tar magic');
    }
    return r.style === 'gnu' ? r.fatal('Unexpected EOF in archive') : r.fatal('short read');
  }
  const wanted = o.operands.map((p) => p.replace(/\/+$/, ''));
  const seen = new Set<string>();
  const selected = (name: string) => {
    if (!wanted.length) return true;
    const n = name.replace(/\/+$/, '');
    const w = wanted.find((x) => n === x || n.startsWith(`${x}/`));
    if (w !== undefined) seen.add(w);
    return w !== undefined;
  };
  let warned = false;
  for (const e of decoded.entries) {
    ctx.host.checkAlive();
    if (!selected(e.name)) continue;
    if (o.mode === 't') {
      ctx.stdout.write(o.verbose ? listLine(e, r.style) : `${e.name}\n`);
      continue;
    }
    let name = e.name;
    if (name.startsWith('/')) {
      if (!warned) r.say(r.style === 'gnu' ? "Removing leading `/' from member names" : "removing leading '/' from member names");
      warned = true;
      name = name.replace(/^\/+/, '');
    }
    if (name.split('/').includes('..')) {
      r.error(r.style === 'gnu' ? `${name}: Member name contains '..'` : `skipping unsafe path: ${name}`);
      continue;
    }
    if (o.verbose) ctx.stdout.write(`${e.name}\n`);
    if (o.toStdout) {
      if (e.type === '0' || e.type === '7') ctx.stdout.write(e.data);
      continue;
    }
    if (!name || name === '.' || name === './') continue;
    extractOne(ctx, e, resolvePath(base, name), name, o, r, decoded.entries);
  }
  for (const w of wanted) if (!seen.has(w)) r.error(r.style === 'gnu' ? `${w}: Not found in archive` : `${w}: not found in archive`);
  return r.status();
}

function extractOne(ctx: ProcessContext, e: TarEntry, path: string, name: string, o: TarOpts, r: Reporter, all: TarEntry[]): void {
  const fs = ctx.host.fs;
  // root keeps the archive's permissions; --no-same-permissions (kubectl cp --no-preserve) applies the umask 022
  const mode = o.samePerms ? e.mode & 0o7777 : e.mode & 0o7777 & ~0o022;
  const cannot = (what: string, err: unknown) => r.error(r.style === 'gnu' ? `${name}: ${what}: ${why(err)}` : `can't ${what === 'Cannot mkdir' ? 'create directory' : 'open'} '${name}': ${why(err)}`);
  const parent = path.slice(0, path.lastIndexOf('/')) || '/';
  try {
    fs.mkdir(parent, { parents: true });
  } catch (err) {
    cannot('Cannot mkdir', err);
    return;
  }
  if (e.type === '5') {
    const st = fs.stat(path);
    if (st?.kind === 'dir') return;
    try {
      if (st) fs.remove(path);
      fs.mkdir(path);
    } catch (err) {
      cannot('Cannot mkdir', err);
    }
    return;
  }
  let data: Buffer;
  if (e.type === '0' || e.type === '7') data = e.data;
  else if (e.type === '1') {
    // a hard link: the content of the member it links to
    const target = all.find((x) => x.name === e.linkname);
    data = target?.data ?? Buffer.alloc(0);
  } else if (e.type === '2') {
    // no symlinks in the simulated filesystem: the link becomes a copy of its target when that is a file
    const target = resolvePath(parent, e.linkname);
    const st = fs.stat(target);
    if (st?.kind !== 'file') return;
    data = fs.readFileBytes(target);
  } else return;
  try {
    if (fs.stat(path)?.kind === 'dir') throw new FsError('EISDIR', path);
    fs.writeFile(path, data, { mode });
  } catch (err) {
    cannot('Cannot open', err);
  }
}

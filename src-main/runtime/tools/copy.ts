/**
 * cp (`-r`/`-R`/`-a`, `-p`, `-f`) and mv: files are copied as their exact bytes (binary files
 * too), directories recursively; messages in busybox or GNU wording.
 */
import type { ProcessContext } from '../program';
import { basename, FsError, resolvePath, type FileSystem } from '../vfs';
import { parseOpts, type Tool, type ToolStyle } from './common';

function join(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

function why(e: unknown): string {
  return e instanceof FsError ? e.message : String((e as Error)?.message ?? e);
}

/** Copies `src` to `dst` (both absolute); `keep` keeps modes (-p/-a; else new files get the umask's 0755 cap). */
function copyTree(fs: FileSystem, src: string, dst: string, keep: boolean): void {
  const st = fs.stat(src)!;
  if (st.kind === 'dir') {
    if (fs.stat(dst)?.kind !== 'dir') fs.mkdir(dst);
    for (const k of fs.readdir(src)) copyTree(fs, join(src, k), join(dst, k), keep);
    return;
  }
  const before = fs.stat(dst);
  const mode = keep ? st.mode : (before?.mode ?? st.mode & 0o755);
  fs.writeFile(dst, fs.readFileBytes(src), { mode });
}

/** Where each source goes: into DEST when it is a directory (or several sources), else DEST itself. */
function targets(ctx: ProcessContext, style: ToolStyle, tool: string, operands: string[]): { src: string; name: string; dst: string }[] | undefined {
  const fs = ctx.host.fs;
  if (operands.length < 2) {
    ctx.stderr.write(
      style === 'gnu'
        ? `${tool}: ${operands.length ? `missing destination file operand after '${operands[0]}'` : 'missing file operand'}\nTry '${tool} --help' for more information.\n`
        : `BusyBox ${tool}: missing operand\n`,
    );
    return undefined;
  }
  const dest = operands[operands.length - 1]!;
  const destPath = resolvePath(ctx.cwd, dest);
  const intoDir = fs.stat(destPath)?.kind === 'dir';
  const sources = operands.slice(0, -1);
  if (sources.length > 1 && !intoDir) {
    ctx.stderr.write(style === 'gnu' ? `${tool}: target '${dest}' is not a directory\n` : `${tool}: '${dest}' is not a directory\n`);
    return undefined;
  }
  return sources.map((s) => ({ src: resolvePath(ctx.cwd, s), name: s, dst: intoDir ? join(destPath, basename(resolvePath(ctx.cwd, s))) : destPath }));
}

export const cp: Tool = async (ctx, style) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), '');
  const recursive = flags.has('r') || flags.has('R') || flags.has('a') || flags.has('--recursive') || flags.has('--archive');
  const keep = flags.has('p') || flags.has('a') || flags.has('--archive') || flags.has('--preserve');
  const list = targets(ctx, style, 'cp', rest);
  if (!list) return 1;
  const fs = ctx.host.fs;
  let status = 0;
  for (const t of list) {
    ctx.host.checkAlive();
    const st = fs.stat(t.src);
    if (!st) {
      ctx.stderr.write(style === 'gnu' ? `cp: cannot stat '${t.name}': No such file or directory\n` : `cp: can't stat '${t.name}': No such file or directory\n`);
      status = 1;
      continue;
    }
    if (st.kind === 'dir' && !recursive) {
      ctx.stderr.write(style === 'gnu' ? `cp: -r not specified; omitting directory '${t.name}'\n` : `cp: omitting directory '${t.name}'\n`);
      status = 1;
      continue;
    }
    if (t.src === t.dst) {
      ctx.stderr.write(style === 'gnu' ? `cp: '${t.name}' and '${t.name}' are the same file\n` : `cp: '${t.name}' and '${t.name}' are the same file\n`);
      status = 1;
      continue;
    }
    if (st.kind === 'dir' && (t.dst + '/').startsWith(t.src + '/')) {
      ctx.stderr.write(`cp: cannot copy a directory, '${t.name}', into itself\n`);
      status = 1;
      continue;
    }
    try {
      copyTree(fs, t.src, t.dst, keep);
    } catch (e) {
      ctx.stderr.write(style === 'gnu' ? `cp: cannot create regular file '${t.dst}': ${why(e)}\n` : `cp: can't create '${t.dst}': ${why(e)}\n`);
      status = 1;
    }
  }
  return status;
};

export const mv: Tool = async (ctx, style) => {
  const { rest } = parseOpts(ctx.argv.slice(1), '');
  const list = targets(ctx, style, 'mv', rest);
  if (!list) return 1;
  const fs = ctx.host.fs;
  let status = 0;
  for (const t of list) {
    ctx.host.checkAlive();
    if (!fs.stat(t.src)) {
      ctx.stderr.write(style === 'gnu' ? `mv: cannot stat '${t.name}': No such file or directory\n` : `mv: can't rename '${t.name}': No such file or directory\n`);
      status = 1;
      continue;
    }
    if (t.src === t.dst) continue;
    if ((t.dst + '/').startsWith(t.src + '/')) {
      ctx.stderr.write(style === 'gnu' ? `mv: cannot move '${t.name}' to a subdirectory of itself, '${t.dst}'\n` : `mv: can't rename '${t.name}': Invalid argument\n`);
      status = 1;
      continue;
    }
    try {
      if (fs.stat(t.dst)?.kind === 'dir' && fs.stat(t.src)?.kind !== 'dir') throw new FsError('EISDIR', t.dst);
      copyTree(fs, t.src, t.dst, true);
      fs.remove(t.src, { recursive: true });
    } catch (e) {
      ctx.stderr.write(style === 'gnu' ? `mv: cannot move '${t.name}' to '${t.dst}': ${why(e)}\n` : `mv: can't rename '${t.name}': ${why(e)}\n`);
      status = 1;
    }
  }
  return status;
};

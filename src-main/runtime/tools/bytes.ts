/**
 * Tools on raw bytes: md5sum/sha1sum/sha256sum/sha512sum (and `-c`), base64 (encode, `-d`,
 * `-w`), dd (if= of= bs= ibs= obs= count= skip= seek= conv=notrunc status=). They read files,
 * stdin and devices (`/dev/zero`, `/dev/urandom`) as exact bytes.
 */
import { createHash } from 'node:crypto';
import type { ProcessContext } from '../program';
import { FsError, resolvePath } from '../vfs';
import { cantOpen, openRead, parseOpts, toolName, writeOut, type Tool, type ToolStyle } from './common';

const ALGORITHMS: Record<string, string> = { md5sum: 'md5', sha1sum: 'sha1', sha256sum: 'sha256', sha512sum: 'sha512' };

/** The digest of one input, read chunk by chunk (stdin as it arrives). */
async function digest(ctx: ProcessContext, file: string, algorithm: string): Promise<string> {
  const { input, endless } = openRead(ctx, file);
  const h = createHash(algorithm);
  for (;;) {
    const b = await input.readBytes();
    if (b === null) break;
    h.update(b);
    if (endless) await ctx.host.yieldCpu();
  }
  return h.digest('hex');
}

export const checksum: Tool = async (ctx, style) => {
  const name = toolName(ctx);
  const algorithm = ALGORITHMS[name] ?? 'md5';
  const { flags, rest } = parseOpts(ctx.argv.slice(1), '');
  const files = rest.length ? rest : ['-'];
  if (flags.has('c') || flags.has('--check')) return check(ctx, style, name, algorithm, files);
  let ok = true;
  for (const f of files) {
    let hex: string;
    try {
      hex = await digest(ctx, f, algorithm);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      cantOpen(ctx, style, f, e);
      ok = false;
      continue;
    }
    ctx.stdout.write(`${hex}  ${f}\n`);
  }
  return ok ? 0 : 1;
};

/** `-c FILE`: the `HASH  NAME` lines of FILE checked (`NAME: OK` / `NAME: FAILED`). */
async function check(ctx: ProcessContext, style: ToolStyle, name: string, algorithm: string, lists: string[]): Promise<number> {
  let failed = 0;
  let unreadable = 0;
  for (const list of lists) {
    let text: string;
    try {
      const { input } = openRead(ctx, list);
      text = await input.readAll();
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      cantOpen(ctx, style, list, e);
      return 1;
    }
    for (const line of text.split('\n')) {
      const m = /^([0-9a-fA-F]+) [ *](.+)$/.exec(line);
      if (!m) continue;
      let hex: string | undefined;
      try {
        hex = await digest(ctx, m[2]!, algorithm);
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        cantOpen(ctx, style, m[2]!, e);
        unreadable++;
      }
      if (hex === undefined) {
        ctx.stdout.write(`${m[2]}: FAILED open or read\n`);
        continue;
      }
      const good = hex === m[1]!.toLowerCase();
      if (!good) failed++;
      ctx.stdout.write(`${m[2]}: ${good ? 'OK' : 'FAILED'}\n`);
    }
  }
  if (style === 'gnu') {
    if (unreadable) ctx.stderr.write(`${name}: WARNING: ${unreadable} listed file${unreadable > 1 ? 's' : ''} could not be read\n`);
    if (failed) ctx.stderr.write(`${name}: WARNING: ${failed} computed checksum${failed > 1 ? 's' : ''} did NOT match\n`);
  }
  return failed || unreadable ? 1 : 0;
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const base64: Tool = async (ctx, style) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), 'w');
  const decode = flags.has('d') || flags.has('--decode');
  const wrapSpec = flags.get('w') ?? flags.get('--wrap') ?? '76';
  const wrap = Number(wrapSpec);
  if (!Number.isInteger(wrap) || wrap < 0) {
    ctx.stderr.write(style === 'gnu' ? `base64: invalid wrap size: '${wrapSpec}'\n` : `base64: invalid number '${wrapSpec}'\n`);
    return 1;
  }
  const file = rest[0] ?? '-';
  let data: Buffer;
  try {
    const { input } = openRead(ctx, file);
    data = await input.readAllBytes();
  } catch (e) {
    if (!(e instanceof FsError)) throw e;
    cantOpen(ctx, style, file, e);
    return 1;
  }
  if (decode) {
    const ignoreGarbage = flags.has('i') || flags.has('--ignore-garbage');
    let text = data.toString('latin1').replace(/[\r\n]/g, '');
    if (ignoreGarbage) text = text.replace(/[^A-Za-z0-9+/=]/g, '');
    // what decodes: whole quartets of the alphabet (an `=`-padded last one)
    const bad = text.search(/[^A-Za-z0-9+/=]/);
    const good = bad < 0 ? text : text.slice(0, bad - (bad % 4));
    const valid = bad < 0 && B64.test(text) && text.length % 4 === 0;
    await writeOut(ctx, Buffer.from(valid ? text : good.slice(0, good.length - (good.length % 4)), 'base64'));
    if (valid) return 0;
    ctx.stderr.write('base64: invalid input\n');
    return 1;
  }
  const enc = data.toString('base64');
  if (!enc.length) return 0;
  let out = '';
  if (wrap === 0) out = `${enc}\n`;
  else for (let i = 0; i < enc.length; i += wrap) out += `${enc.slice(i, i + wrap)}\n`;
  await writeOut(ctx, out);
  return 0;
};

const SIZE_UNITS: Record<string, number> = { c: 1, w: 2, b: 512, k: 1024, K: 1024, kB: 1000, KB: 1000, M: 1 << 20, MB: 1e6, G: 1 << 30, GB: 1e9, kiB: 1024, KiB: 1024, MiB: 1 << 20, GiB: 1 << 30 };

function ddNumber(s: string): number | undefined {
  const m = /^(\d+)([a-zA-Z]*)$/.exec(s);
  if (!m) return undefined;
  const unit = m[2] ? SIZE_UNITS[m[2]] : 1;
  return unit === undefined ? undefined : Number(m[1]) * unit;
}

/** `1.0 kB` style sizes (GNU: powers of 1000 and 1024; busybox: `1.0KB`). */
function human(n: number, base: 1000 | 1024, units: string[]): string {
  let i = 0;
  let v = n;
  while (v >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)}${units[i]}`;
}

export const dd: Tool = async (ctx, style) => {
  const ops = new Map<string, string>();
  for (const a of ctx.argv.slice(1)) {
    const eq = a.indexOf('=');
    if (eq <= 0) {
      ctx.stderr.write(style === 'gnu' ? `dd: unrecognized operand '${a}'\nTry 'dd --help' for more information.\n` : `dd: invalid argument '${a}'\n`);
      return 1;
    }
    ops.set(a.slice(0, eq), a.slice(eq + 1));
  }
  const num = (key: string, dflt: number): number | undefined => {
    const v = ops.get(key);
    if (v === undefined) return dflt;
    const n = ddNumber(v);
    if (n === undefined) ctx.stderr.write(style === 'gnu' ? `dd: invalid number: '${v}'\n` : `dd: invalid number '${v}'\n`);
    return n;
  };
  const bs = num('bs', 0);
  const ibs = bs || num('ibs', 512);
  const obs = bs || num('obs', 512);
  const count = num('count', Infinity);
  const skip = num('skip', 0);
  const seek = num('seek', 0);
  if (bs === undefined || ibs === undefined || obs === undefined || count === undefined || skip === undefined || seek === undefined) return 1;
  if (!ibs || !obs) {
    ctx.stderr.write(style === 'gnu' ? `dd: invalid number: '0'\n` : `dd: invalid number '0'\n`);
    return 1;
  }
  const started = ctx.host.clock.now();
  const inFile = ops.get('if') ?? '-';
  let src: ReturnType<typeof openRead>;
  try {
    src = openRead(ctx, inFile);
  } catch (e) {
    if (!(e instanceof FsError)) throw e;
    ctx.stderr.write(style === 'gnu' ? `dd: failed to open '${inFile}': ${e.message}\n` : `dd: can't open '${inFile}': ${e.message}\n`);
    return 1;
  }
  // what is read: `skip` blocks dropped, then up to `count` blocks
  const want = count === Infinity ? Infinity : count * ibs;
  let toSkip = skip * ibs;
  const parts: Buffer[] = [];
  let got = 0;
  while (got < want) {
    const b = await src.input.readBytes();
    if (b === null) break;
    let piece = b;
    if (toSkip) {
      const s = Math.min(toSkip, piece.length);
      toSkip -= s;
      piece = piece.subarray(s);
    }
    if (got + piece.length > want) piece = piece.subarray(0, want - got);
    if (piece.length) parts.push(piece);
    got += piece.length;
    if (src.endless) await ctx.host.yieldCpu();
  }
  if (src.input !== ctx.stdin || got >= want) src.input.close();
  const data = Buffer.concat(parts);
  const outFile = ops.get('of');
  if (outFile === undefined) await writeOut(ctx, data);
  else {
    const fs = ctx.host.fs;
    const path = resolvePath(ctx.cwd, outFile);
    try {
      const at = seek * obs;
      const notrunc = (ops.get('conv') ?? '').split(',').includes('notrunc');
      const st = fs.stat(path);
      const before = st && !st.device && st.kind === 'file' ? fs.readFileBytes(path) : Buffer.alloc(0);
      const head = Buffer.alloc(at);
      before.copy(head, 0, 0, Math.min(at, before.length));
      const tail = notrunc && before.length > at + data.length ? before.subarray(at + data.length) : Buffer.alloc(0);
      fs.writeFile(path, Buffer.concat([head, data, tail]));
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      ctx.stderr.write(style === 'gnu' ? `dd: failed to open '${outFile}': ${e.message}\n` : `dd: can't open '${outFile}': ${e.message}\n`);
      return 1;
    }
  }
  const status = ops.get('status');
  if (status === 'none') return 0;
  const records = (n: number, size: number) => `${Math.floor(n / size)}+${n % size ? 1 : 0}`;
  let report = `${records(got, ibs)} records in\n${records(got, obs)} records out\n`;
  if (status !== 'noxfer') {
    const secs = Math.max(1e-6, (ctx.host.clock.now() - started) / 1000);
    if (style === 'gnu') {
      const size = got >= 1000 ? ` (${human(got, 1000, [' B', ' kB', ' MB', ' GB'])}, ${human(got, 1024, [' B', ' KiB', ' MiB', ' GiB'])})` : '';
      report += `${got} byte${got === 1 ? '' : 's'}${size} copied, ${secs.toPrecision(2)} s, ${human(got / secs, 1000, [' B/s', ' kB/s', ' MB/s', ' GB/s'])}\n`;
    } else {
      report += `${got} bytes (${human(got, 1024, ['B', 'KB', 'MB', 'GB'])}) copied, ${secs.toFixed(6)} seconds, ${human(got / secs, 1024, ['B/s', 'KB/s', 'MB/s', 'GB/s'])}\n`;
    }
  }
  ctx.stderr.write(report);
  return 0;
};

/**
 * `redis-cli`: `-h/-p/-n/-a/-u/--raw/--no-raw/--version`, one-shot commands or commands from
 * stdin, the interactive prompt (`127.0.0.1:6379> `, `not connected> `) on a terminal, and the
 * reply rendering of redis-cli (tty: `(integer) 1`, `"value"`, `(nil)`, numbered arrays; raw when
 * stdout is not a terminal). Commands travel as RESP through `host.respRequest`.
 */
import type { ProcessContext, RespValue } from '../program';

/** redis-cli's quoting of a bulk string on a terminal (sdscatrepr). */
function repr(s: string): string {
  let out = '"';
  for (const ch of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(ch);
    if (c === '\\' || c === '"') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\x07') out += '\\a';
    else if (c === '\b') out += '\\b';
    else if (ch >= 0x20 && ch < 0x7f) out += c;
    else out += `\\x${ch.toString(16).padStart(2, '0')}`;
  }
  return out + '"';
}

/** The reply as redis-cli prints it on a terminal (with the trailing newline). */
export function formatTty(v: RespValue, prefix = ''): string {
  if (v === null) return '(nil)\n';
  if (typeof v === 'number') return `(integer) ${v}\n`;
  if (typeof v === 'string') return repr(v) + '\n';
  if (Array.isArray(v)) {
    if (!v.length) return '(empty array)\n';
    const width = String(v.length).length;
    const inner = prefix + ' '.repeat(width + 2);
    let out = '';
    v.forEach((x, i) => {
      out += `${i === 0 ? '' : prefix}${String(i + 1).padStart(width)}) ${formatTty(x, inner)}`;
    });
    return out;
  }
  if ('error' in v) return `(error) ${v.error}\n`;
  return v.status + '\n';
}

/** The reply in raw mode (stdout not a terminal, or `--raw`), with the trailing newline. */
export function formatRaw(v: RespValue): string {
  const raw = (x: RespValue): string => {
    if (x === null) return '';
    if (typeof x === 'number') return String(x);
    if (typeof x === 'string') return x;
    if (Array.isArray(x)) return x.map(raw).join('\n');
    if ('error' in x) return `${x.error}\n`;
    return x.status;
  };
  return raw(v) + '\n';
}

/** Back-compat: the old single-function renderer (no trailing newline). */
export function formatReply(v: RespValue, tty: boolean): string {
  return (tty ? formatTty(v) : formatRaw(v)).replace(/\n$/, '');
}

/** Splits an interactive line as redis-cli does (sdssplitargs: quotes and escapes). */
export function splitArgs(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    let cur = '';
    if (line[i] === '"' || line[i] === "'") {
      const q = line[i++]!;
      let closed = false;
      while (i < line.length) {
        const c = line[i]!;
        if (q === '"' && c === '\\' && i + 1 < line.length) {
          const n = line[i + 1]!;
          if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
            cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          cur += ({ n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' } as Record<string, string>)[n] ?? n;
          i += 2;
          continue;
        }
        if (q === "'" && c === '\\' && line[i + 1] === "'") {
          cur += "'";
          i += 2;
          continue;
        }
        if (c === q) {
          closed = true;
          i++;
          break;
        }
        cur += c;
        i++;
      }
      if (!closed || (i < line.length && !/\s/.test(line[i]!))) return undefined;
    } else {
      while (i < line.length && !/\s/.test(line[i]!)) cur += line[i++];
    }
    out.push(cur);
  }
  return out;
}

export async function redisCli(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let host = '127.0.0.1';
  let port = 6379;
  let db = 0;
  let raw: boolean | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h') host = args[++i] ?? host;
    else if (a === '-p') port = Number(args[++i] ?? port);
    else if (a === '-n') db = Number(args[++i] ?? 0);
    else if (a === '-a' || a === '--pass' || a === '--user') {
      i++;
      if (a !== '--user') ctx.stderr.write("Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.\n");
    } else if (a === '-u') {
      const m = /^redis:\/\/(?:[^@]*@)?([^:/]+)(?::(\d+))?(?:\/(\d+))?/.exec(args[++i] ?? '');
      if (m) {
        host = m[1]!;
        if (m[2]) port = Number(m[2]);
        if (m[3]) db = Number(m[3]);
      }
    } else if (a === '--raw') raw = true;
    else if (a === '--no-raw') raw = false;
    else if (a === '--no-auth-warning' || a === '-e' || a === '-c') continue;
    else if (a === '-v' || a === '--version') {
      ctx.stdout.write(`redis-cli ${ctx.env.get('REDIS_VERSION') ?? '7.4.6'}\n`);
      return 0;
    } else if (a === '--help') {
      ctx.stdout.write(`redis-cli ${ctx.env.get('REDIS_VERSION') ?? '7.4.6'}\n\nUsage: redis-cli [OPTIONS] [cmd [arg [arg ...]]]\n`);
      return 0;
    } else break;
  }
  const tty = ctx.tty ?? false;
  const pretty = raw === undefined ? tty : !raw;
  const format = (v: RespValue) => (pretty ? formatTty(v) : formatRaw(v));
  const refused = (e: unknown) => {
    const msg = (e as { message?: string })?.message || 'Connection refused';
    ctx.stderr.write(`Could not connect to Redis at ${host}:${port}: ${/not known|ENOTFOUND|Name/.test(msg) ? 'Name or service not known' : 'Connection refused'}\n`);
  };
  // databases other than 0 are not modelled (the RESP handler has no per-connection state): -n only shows in the prompt
  const send = (cmd: string[]) => ctx.host.respRequest(host, port, cmd);

  if (i < args.length) {
    try {
      const reply = await send(args.slice(i));
      ctx.stdout.write(format(reply));
      return 0;
    } catch (e) {
      refused(e);
      return 1;
    }
  }

  // commands from stdin (not a terminal): one per line, raw output, no prompt
  if (!tty) {
    for (;;) {
      const line = await ctx.stdin.readLine();
      if (line === null) return 0;
      const words = splitArgs(line);
      if (!words?.length) continue;
      try {
        ctx.stdout.write(format(await send(words)));
      } catch (e) {
        refused(e);
        return 1;
      }
    }
  }

  // interactive
  let connected = true;
  try {
    await send(['PING']);
  } catch (e) {
    refused(e);
    connected = false;
  }
  const prompt = () => (connected ? `${host}:${port}${db ? `[${db}]` : ''}> ` : 'not connected> ');
  for (;;) {
    ctx.stdout.write(prompt());
    const line = await ctx.stdin.readLine();
    if (line === null) return 0;
    const words = splitArgs(line);
    if (words === undefined) {
      ctx.stdout.write('Invalid argument(s)\n');
      continue;
    }
    if (!words.length) continue;
    const name = words[0]!.toLowerCase();
    if (name === 'quit' || name === 'exit') return 0;
    if (name === 'clear') {
      ctx.stdout.write('\x1b[H\x1b[2J');
      continue;
    }
    if (name === 'connect') {
      host = words[1] ?? host;
      port = Number(words[2] ?? port);
    }
    try {
      const reply = await send(name === 'connect' ? ['PING'] : words);
      connected = true;
      if (name === 'connect') continue;
      if (name === 'select' && reply && typeof reply === 'object' && 'status' in reply) db = Number(words[1]);
      ctx.stdout.write(format(reply));
    } catch (e) {
      refused(e);
      connected = false;
    }
  }
}

/**
 * redis: `docker-entrypoint.sh redis-server` (exec'd, so redis is PID 1), the startup lines
 * redis 6/7 print with their `pid:role date` prefix, and the SIGTERM/SIGINT shutdown sequence.
 */
import type { ImageFamily, TagGroup } from './types';
import { DEFAULT_PATH, exe } from './types';
import { BOOKWORM, busyboxUserland, debianUserland } from './os';
import type { ProcessContext, Signal } from '../program';
import { formatDate } from '../tools/system';
import { RedisStore, formatReply } from './redis-store';

/** `redis-cli [-h host] [-p port] [command args…]`; without a command, one command per stdin line. */
async function redisCli(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let host = '127.0.0.1';
  let port = 6379;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h') host = args[++i] ?? host;
    else if (a === '-p') port = Number(args[++i] ?? port);
    else if (a === '--raw' || a === '--no-raw') continue;
    else break;
  }
  const tty = ctx.tty ?? false;
  const run = async (cmd: string[]): Promise<boolean> => {
    try {
      const reply = await ctx.host.respRequest(host, port, cmd);
      const text = formatReply(reply, tty);
      ctx.stdout.write(text + '\n');
      return true;
    } catch {
      ctx.stdout.write(`Could not connect to Redis at ${host}:${port}: Connection refused\n`);
      return false;
    }
  };
  if (i < args.length) return (await run(args.slice(i))) ? 0 : 1;
  for (;;) {
    const line = await ctx.stdin.readLine();
    if (line === null) return 0;
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length && !(await run(words))) return 1;
  }
}

const g = (tags: string[], version: string, sizeBytes: number, alpine = false): TagGroup => ({
  tags,
  version,
  sizeBytes,
  variant: { alpine: alpine ? 'yes' : '' },
  config: { env: [DEFAULT_PATH, ...(alpine ? [] : ['GOSU_VERSION=1.17']), `REDIS_VERSION=${version}`, `REDIS_DOWNLOAD_URL=http://download.redis.io/releases/redis-${version}.tar.gz`] },
});

export const redis: ImageFamily = {
  repository: 'docker.io/library/redis',
  config: { entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'], workingDir: '/data', env: [DEFAULT_PATH], exposedPorts: ['6379/tcp'] },
  groups: [
    g(['7.4.6', '7.4', '7', 'latest', '7.4.6-bookworm', '7.4-bookworm', 'bookworm'], '7.4.6', 45_238_910),
    g(['7.2.11', '7.2', '7.2.11-bookworm', '7.2-bookworm'], '7.2.11', 40_153_018),
    g(['7.2.4'], '7.2.4', 40_016_374),
    g(['7.0.15', '7.0', '7.0.15-bookworm'], '7.0.15', 39_957_342),
    g(['6.2.20', '6.2', '6', '6.2.20-bookworm'], '6.2.20', 39_411_205),
    g(['6.0.20', '6.0', '6.0.20-bullseye'], '6.0.20', 38_970_112),
    g(['6.0.3', '6.0.3-buster'], '6.0.3', 35_416_031),
    g(['5.0.14', '5.0', '5'], '5.0.14', 36_722_410),
    g(['7.4.6-alpine', '7.4-alpine', '7-alpine', 'alpine'], '7.4.6', 17_112_603, true),
    g(['7.2.11-alpine', '7.2-alpine'], '7.2.11', 16_428_221, true),
    g(['6.2.20-alpine', '6.2-alpine', '6-alpine'], '6.2.20', 11_953_307, true),
    g(['6.0.20-alpine', '6.0-alpine'], '6.0.20', 11_532_978, true),
    g(['6.0.3-alpine', '6.0.3-alpine3.11'], '6.0.3', 10_310_212, true),
    g(['5.0.14-alpine', '5.0-alpine', '5-alpine'], '5.0.14', 10_112_663, true),
  ],
  files: (group) => ({
    ...(group.variant!.alpine ? busyboxUserland() : debianUserland(BOOKWORM)),
    '/usr/local/bin/docker-entrypoint.sh': exe('redis-entrypoint', '#!/bin/sh\nset -e\n'),
    '/usr/local/bin/redis-server': exe('redis-server'),
    '/usr/local/bin/redis-cli': exe('redis-cli'),
    '/data': { kind: 'dir', mode: 0o755 },
  }),
  programs: {
    'redis-entrypoint': (ctx) => entrypoint(ctx),
    'redis-server': (ctx) => redisServer(ctx),
    'redis-cli': (ctx) => redisCli(ctx),
  },
};

/** `docker-entrypoint.sh`: options or a .conf first mean `redis-server …`; then exec (as the redis user via gosu). */
async function entrypoint(ctx: ProcessContext): Promise<number> {
  let args = ctx.argv.slice(1);
  if (!args.length) return 0;
  if (args[0]!.startsWith('-') || args[0]!.endsWith('.conf')) args = ['redis-server', ...args];
  if (!ctx.host.which(args[0]!, ctx.env.get('PATH') ?? '', ctx.cwd)) {
    ctx.stderr.write(`/usr/local/bin/docker-entrypoint.sh: exec: line 24: ${args[0]}: not found\n`);
    return 127;
  }
  return ctx.host.spawn(args, { replacePid: ctx.pid, env: ctx.env, cwd: ctx.cwd, stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr });
}

function stamp(ms: number): string {
  return `${formatDate(ms, '%d %b %Y %H:%M:%S')}.${String(ms % 1000).padStart(3, '0')}`;
}

/** redis-server in the foreground: startup log, listen, shut down on SIGTERM/SIGINT. */
async function redisServer(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const version = ctx.env.get('REDIS_VERSION') ?? '7.4.6';
  if (args[0] === '--version' || args[0] === '-v') {
    ctx.stdout.write(`Redis server v=${version} sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=${'0'.repeat(16)}\n`);
    return 0;
  }
  const opts = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) opts.set(a.slice(2), args[i + 1] && !args[i + 1]!.startsWith('--') ? args[++i]! : '');
  }
  // redis-server says "Configuration loaded" whenever it got arguments (a file or options)
  const port = Number(opts.get('port') ?? 6379);
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const v7 = major >= 7;
  const pid = ctx.pid;
  const log = (role: 'C' | 'M', level: '*' | '#', msg: string) => ctx.stdout.write(`${pid}:${role} ${stamp(ctx.host.clock.now())} ${level} ${msg}\n`);
  log('C', v7 ? '*' : '#', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  log('C', v7 ? '*' : '#', `Redis version=${version}, bits=64, commit=00000000, modified=0, pid=${pid}, just started`);
  if (args.length) log('C', v7 ? '*' : '#', 'Configuration loaded');
  else log('C', '#', 'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf');
  if (major > 6 || (major === 6 && minor >= 2)) log('M', '*', 'monotonic clock: POSIX clock_gettime');
  log('M', '*', `Running mode=standalone, port=${port}.`);
  log('M', v7 && (major > 7 || minor >= 2) ? '*' : '#', 'Server initialized');
  const aof = opts.get('appendonly') === 'yes';
  if (aof && v7) {
    log('M', '*', 'Creating AOF base file appendonly.aof.1.base.rdb on server start');
    log('M', '*', 'Creating AOF incr file appendonly.aof.1.incr.aof on server start');
  }
  const store = new RedisStore(version);
  const dir = opts.get('dir') ?? ctx.cwd;
  const dump = `${dir.replace(/\/$/, '')}/${opts.get('dbfilename') ?? 'dump.rdb'}`;
  const loaded = store.load(ctx.host.fs, dump);
  if (loaded !== undefined) {
    if (v7) {
      const mtime = ctx.host.fs.stat(dump)?.mtime || ctx.host.clock.now();
      const age = Math.max(0, Math.round((ctx.host.clock.now() - mtime) / 1000));
      log('M', '*', `Loading RDB produced by version ${version}`);
      log('M', '*', `RDB age ${age} seconds`);
      log('M', '*', 'RDB memory usage when created 0.90 Mb');
      log('M', '*', `Done loading RDB, keys loaded: ${loaded}, keys expired: 0.`);
    }
    log('M', '*', 'DB loaded from disk: 0.000 seconds');
  }
  log('M', '*', v7 && (major > 7 || minor >= 2) ? 'Ready to accept connections tcp' : 'Ready to accept connections');
  ctx.host.allocate(3_300_000);
  const save = () => {
    try {
      store.save(ctx.host.fs, dump);
      log('M', '*', 'DB saved on disk');
    } catch {
      log('M', '#', `Failed opening the temp RDB file temp-${ctx.pid}.rdb (in server root dir ${dir}) for saving: Read-only file system`);
    }
  };
  ctx.host.listen(port, 'TCP', { address: '0.0.0.0', pid: ctx.pid, resp: (args) => store.command(args, save) });
  ctx.host.listen(port, 'TCP', { address: '::', pid: ctx.pid, resp: (args) => store.command(args, save) });

  let stop!: (sig: Signal) => void;
  const stopped = new Promise<Signal>((resolve) => (stop = resolve));
  ctx.host.onSignal('SIGTERM', stop);
  ctx.host.onSignal('SIGINT', stop);
  const sig = await Promise.race([stopped, ctx.host.forever()]);
  const now = ctx.host.clock.now();
  ctx.stdout.write(`${pid}:signal-handler (${Math.floor(now / 1000)}) Received ${sig} scheduling shutdown...\n`);
  log('M', '*', 'User requested shutdown...');
  if (aof) log('M', '*', 'Calling fsync() on the AOF file.');
  log('M', '*', 'Saving the final RDB snapshot before exiting.');
  save();
  log('M', '#', 'Redis is now ready to exit, bye bye...');
  return 0;
}

/**
 * redis: `docker-entrypoint.sh redis-server` (exec'd, so redis is PID 1), options from the
 * command line and/or a config file, the startup lines of each major version with their
 * `pid:role date level` prefix, the `save` policy (background saves with their log lines),
 * SAVE/BGSAVE, persistence in `dir` (/data) loaded at start, and the SIGTERM/SIGINT shutdown.
 */
import { createHash } from 'node:crypto';
import type { ImageFamily, TagGroup } from './types';
import { DEFAULT_PATH, exe } from './types';
import { BOOKWORM, busyboxUserland, debianUserland } from './os';
import type { ProcessContext, Signal } from '../program';
import { formatDate } from '../tools/system';
import { RedisStore } from './redis-store';
import { redisCli } from './redis-cli';
import { infoText } from './redis-info';

export { formatReply } from './redis-cli';

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
    g(['6.0.5', '6.0.5-buster'], '6.0.5', 36_103_820),
    g(['6.0.3', '6.0.3-buster'], '6.0.3', 35_416_031),
    g(['5.0.14', '5.0', '5'], '5.0.14', 36_722_410),
    g(['7.4.6-alpine', '7.4-alpine', '7-alpine', 'alpine'], '7.4.6', 17_112_603, true),
    g(['7.2.11-alpine', '7.2-alpine'], '7.2.11', 16_428_221, true),
    g(['6.2.20-alpine', '6.2-alpine', '6-alpine'], '6.2.20', 11_953_307, true),
    g(['6.0.20-alpine', '6.0-alpine'], '6.0.20', 11_532_978, true),
    g(['6.0.5-alpine', '6.0.5-alpine3.12'], '6.0.5', 10_390_611, true),
    g(['6.0.3-alpine', '6.0.3-alpine3.11'], '6.0.3', 10_310_212, true),
    g(['5.0.14-alpine', '5.0-alpine', '5-alpine'], '5.0.14', 10_112_663, true),
  ],
  files: (group) => ({
    ...(group.variant!.alpine ? busyboxUserland() : debianUserland(BOOKWORM)),
    '/usr/local/bin/docker-entrypoint.sh': exe('redis-entrypoint', '#!/bin/sh\nset -e\n'),
    '/usr/local/bin/redis-server': exe('redis-server'),
    '/usr/local/bin/redis-cli': exe('redis-cli'),
    '/usr/local/bin/redis-check-rdb': exe('redis-server'),
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

/** Default `save` points: 6.2 and newer save after 3600 s/1, 300 s/100, 60 s/10000 changes; older 900/1, 300/10, 60/10000. */
function defaultSave(version: string): string {
  const [maj, min] = version.split('.').map(Number) as [number, number];
  return maj > 6 || (maj === 6 && min >= 2) ? '3600 1 300 100 60 10000' : '900 1 300 10 60 10000';
}

/** Options from `redis-server [file.conf] [--opt value …]` (repeated `save` options add up). */
function readConfig(ctx: ProcessContext, args: string[], version: string): { config: Map<string, string>; file: string; error?: string } {
  const config = new Map<string, string>([
    ['port', '6379'],
    ['bind', '* -::*'],
    ['dir', ctx.cwd],
    ['dbfilename', 'dump.rdb'],
    ['appendonly', 'no'],
    ['save', defaultSave(version)],
    ['databases', '16'],
    ['maxmemory', '0'],
    ['maxmemory-policy', 'noeviction'],
    ['protected-mode', 'no'],
    ['loglevel', 'notice'],
    ['requirepass', ''],
    ['timeout', '0'],
    ['tcp-keepalive', '300'],
  ]);
  const saves: string[] = [];
  const apply = (key: string, value: string) => {
    const k = key.toLowerCase();
    if (k === 'save') saves.push(value);
    else config.set(k, value);
  };
  let file = '';
  let rest = args;
  if (args[0] && !args[0].startsWith('-')) {
    file = args[0];
    rest = args.slice(1);
    const path = file.startsWith('/') ? file : `${ctx.cwd}/${file}`;
    if (ctx.host.fs.stat(path)?.kind !== 'file') return { config, file, error: `Fatal error, can't open config file '${path}': No such file or directory` };
    for (const line of ctx.host.fs.readFile(path).split('\n')) {
      const t = line.trim();
      if (!t || t.startsWith('#')) continue;
      const [k, ...v] = t.split(/\s+/);
      apply(k!, v.join(' ').replace(/^"(.*)"$/, '$1'));
    }
  }
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (!a.startsWith('--')) continue;
    const vals: string[] = [];
    while (i + 1 < rest.length && !rest[i + 1]!.startsWith('--')) vals.push(rest[++i]!);
    apply(a.slice(2), vals.join(' '));
  }
  if (saves.length) config.set('save', saves.filter((s) => s !== '' && s !== '""').join(' '));
  return { config, file };
}

/** redis-server in the foreground. */
async function redisServer(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const version = ctx.env.get('REDIS_VERSION') ?? '7.4.6';
  if (args[0] === '--version' || args[0] === '-v') {
    ctx.stdout.write(`Redis server v=${version} sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=${'0'.repeat(16)}\n`);
    return 0;
  }
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const modern = major > 7 || (major === 7 && minor >= 2);
  const pid = ctx.pid;
  const clock = ctx.host.clock;
  const log = (who: number, role: 'C' | 'M', level: '*' | '#' | '.', msg: string) => ctx.stdout.write(`${who}:${role} ${stamp(clock.now())} ${level} ${msg}\n`);
  const warnOrNotice = modern ? '*' : '#';
  log(pid, 'C', warnOrNotice, 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  log(pid, 'C', warnOrNotice, `Redis version=${version}, bits=64, commit=00000000, modified=0, pid=${pid}, just started`);
  const { config, file, error } = readConfig(ctx, args, version);
  if (error) {
    ctx.stderr.write(`\n*** FATAL CONFIG FILE ERROR (Redis ${version}) ***\n${error}\n`);
    return 1;
  }
  if (args.length) log(pid, 'C', warnOrNotice, 'Configuration loaded');
  else log(pid, 'C', '#', 'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf');
  const port = Number(config.get('port'));
  if (major > 6 || (major === 6 && minor >= 2)) log(pid, 'M', '*', 'monotonic clock: POSIX clock_gettime');
  log(pid, 'M', '*', `Running mode=standalone, port=${port}.`);
  log(pid, 'M', warnOrNotice, 'Server initialized');
  const aof = config.get('appendonly') === 'yes';
  if (aof && major >= 7) {
    log(pid, 'M', '*', 'Creating AOF base file appendonly.aof.1.base.rdb on server start');
    log(pid, 'M', '*', 'Creating AOF incr file appendonly.aof.1.incr.aof on server start');
  }
  const startedAt = clock.now();
  const runId = createHash('sha1').update(`${ctx.host.hostname}:${startedAt}`).digest('hex');
  const dir = config.get('dir')!.replace(/\/$/, '') || '/';
  const dump = `${dir === '/' ? '' : dir}/${config.get('dbfilename')}`;
  let connections = 0;
  let bgsaveOk = true;
  let childPid = 19;
  let stopping: ((sig: Signal | 'SHUTDOWN') => void) | undefined;
  const shutdown: { mode: 'SAVE' | 'NOSAVE' | '' } = { mode: '' };
  const persist = (): boolean => {
    try {
      ctx.host.fs.writeFile(dump, store.dump());
      store.saved();
      return true;
    } catch (e) {
      const why = (e as Error).message || 'Permission denied';
      return (log(pid, 'M', '#', `Failed opening the temp RDB file temp-${pid}.rdb (in server root dir ${dir}) for saving: ${why}`), false);
    }
  };
  const bgsave = (reason?: string) => {
    if (reason) log(pid, 'M', '*', reason);
    const child = ++childPid;
    log(pid, 'M', '*', `Background saving started by pid ${child}`);
    const ok = persist();
    if (ok) {
      log(child, 'C', '*', 'DB saved on disk');
      log(child, 'C', '*', major >= 7 ? 'Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB' : 'RDB: 0 MB of memory used by copy-on-write');
      log(pid, 'M', '*', 'Background saving terminated with success');
    } else log(pid, 'M', '#', 'Background saving error');
    bgsaveOk = ok;
    return ok;
  };
  const store: RedisStore = new RedisStore(version, {
    now: () => clock.now(),
    save: (background) => {
      if (background) bgsave();
      else if (persist()) log(pid, 'M', '*', 'DB saved on disk');
      else throw new Error('save failed');
    },
    shutdown: (mode) => {
      shutdown.mode = mode;
      stopping?.('SHUTDOWN');
    },
    config,
    info: (section) =>
      infoText(store, { version, pid, port, startedAt, now: clock.now(), runId, executable: '/data/redis-server', configFile: file, memoryBytes: 900_000 + store.size * 80, connections, bgsaveOk, aof, gcc: major >= 7 ? '12.2.0' : '10.2.1' }, section),
    clientList: () => `id=3 addr=127.0.0.1:41234 laddr=127.0.0.1:${port} fd=8 name= age=0 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=20448 argv-mem=10 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=22426 events=r cmd=client|list user=default redir=-1 resp=2\n`,
  });
  const loaded = store.load(ctx.host.fs, dump);
  if (loaded !== undefined) {
    if (major >= 7) {
      const mtime = ctx.host.fs.stat(dump)?.mtime || clock.now();
      log(pid, 'M', '*', `Loading RDB produced by version ${version}`);
      log(pid, 'M', '*', `RDB age ${Math.max(0, Math.round((clock.now() - mtime) / 1000))} seconds`);
      log(pid, 'M', '*', 'RDB memory usage when created 0.90 Mb');
      log(pid, 'M', '*', `Done loading RDB, keys loaded: ${loaded.keys}, keys expired: ${loaded.expired}.`);
    }
    log(pid, 'M', '*', 'DB loaded from disk: 0.000 seconds');
  }
  log(pid, 'M', '*', modern ? 'Ready to accept connections tcp' : 'Ready to accept connections');
  ctx.host.allocate(3_300_000);

  // the save policy: after `secs` seconds with at least `changes` changes, a background save
  const points = (): [number, number][] => {
    const w = (config.get('save') ?? '').trim().split(/\s+/).filter(Boolean).map(Number);
    const out: [number, number][] = [];
    for (let i = 0; i + 1 < w.length; i += 2) out.push([w[i]!, w[i + 1]!]);
    return out;
  };
  let timer = false;
  const schedule = () => {
    if (timer || !store.dirty) return;
    const due = points().filter(([, changes]) => store.dirty >= changes);
    if (!due.length) return;
    const at = Math.min(...due.map(([secs]) => store.lastSave + secs * 1000));
    timer = true;
    void ctx.host
      .sleep(Math.max(0, at - clock.now()))
      .then(() => {
        timer = false;
        const hit = points().find(([secs, changes]) => store.dirty >= changes && clock.now() - store.lastSave >= secs * 1000);
        if (hit) bgsave(`${hit[1]} changes in ${hit[0]} seconds. Saving...`);
        schedule();
      })
      .catch(() => undefined);
  };
  store.onWrite = schedule;

  const resp = (cmd: string[]) => {
    connections = Math.max(connections, 1);
    return store.command(cmd);
  };
  const bindAll = (config.get('bind') ?? '').split(/\s+/);
  ctx.host.listen(port, 'TCP', { address: '0.0.0.0', pid, resp });
  if (bindAll.some((b) => b.includes('::'))) ctx.host.listen(port, 'TCP', { address: '::', pid, resp });

  const stopped = new Promise<Signal | 'SHUTDOWN'>((resolve) => (stopping = resolve));
  ctx.host.onSignal('SIGTERM', (s) => stopping!(s));
  ctx.host.onSignal('SIGINT', (s) => stopping!(s));
  const sig = await Promise.race([stopped, ctx.host.forever()]);
  if (sig !== 'SHUTDOWN') ctx.stdout.write(`${pid}:signal-handler (${Math.floor(clock.now() / 1000)}) Received ${sig} scheduling shutdown...\n`);
  log(pid, 'M', warnOrNotice, 'User requested shutdown...');
  if (aof) log(pid, 'M', '*', 'Calling fsync() on the AOF file.');
  if ((points().length && shutdown.mode !== 'NOSAVE') || shutdown.mode === 'SAVE') {
    log(pid, 'M', '*', 'Saving the final RDB snapshot before exiting.');
    if (persist()) log(pid, 'M', '*', 'DB saved on disk');
    else log(pid, 'M', '#', "Error trying to save the DB, can't exit.");
  }
  log(pid, 'M', '#', 'Redis is now ready to exit, bye bye...');
  return 0;
}

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src-main/client/clock';
import { createEmptyDir } from '../../../../src-main/runtime';
import { RedisStore, globToRegex } from '../../../../src-main/runtime/images/redis-store';
import { formatRaw, formatTty, splitArgs } from '../../../../src-main/runtime/images/redis-cli';
import type { RespValue } from '../../../../src-main/runtime/types';
import { T0, advance, boot, settle } from './helpers';

function store(version = '7.4.6') {
  const clock = new FakeClock(T0);
  const saves: boolean[] = [];
  const s = new RedisStore(version, { now: () => clock.now(), save: (bg) => saves.push(bg), shutdown: () => {}, config: new Map([['save', '3600 1'], ['databases', '16'], ['port', '6379']]), info: () => '', clientList: () => '' });
  return { s, clock, saves, run: (...a: string[]): RespValue => s.command(a) };
}

describe('redis commands', () => {
  it('strings, counters and SET options with redis\'s replies and errors', () => {
    const { run, clock } = store();
    expect(run('PING')).toEqual({ status: 'PONG' });
    expect(run('SET', 'k', 'v')).toEqual({ status: 'OK' });
    expect(run('SET', 'k', 'w', 'NX')).toBeNull();
    expect(run('SET', 'k', 'w', 'XX', 'GET')).toBe('v');
    expect(run('SET', 'k', 'x', 'NX', 'XX')).toEqual({ error: 'ERR syntax error' });
    expect(run('SET', 'k', 'x', 'EX', '0')).toEqual({ error: "ERR invalid expire time in 'set' command" });
    expect(run('GET')).toEqual({ error: "ERR wrong number of arguments for 'get' command" });
    expect(run('INCR', 'n')).toBe(1);
    expect(run('INCRBY', 'n', '41')).toBe(42);
    expect(run('DECRBY', 'n', '2')).toBe(40);
    expect(run('INCR', 'k')).toEqual({ error: 'ERR value is not an integer or out of range' });
    expect(run('APPEND', 'k', '!!')).toBe(3);
    expect(run('STRLEN', 'k')).toBe(3);
    expect(run('MSET', 'a', '1', 'b', '2')).toEqual({ status: 'OK' });
    expect(run('MGET', 'a', 'nope', 'b')).toEqual(['1', null, '2']);
    expect(run('GETSET', 'a', '9')).toBe('1');
    expect(run('EXISTS', 'a', 'b', 'zz')).toBe(2);
    expect(run('KEYS', '[ab]')).toEqual(['a', 'b']);
    expect(run('SCAN', '0', 'MATCH', 'n*')).toEqual(['0', ['n']]);
    expect(run('TYPE', 'a')).toEqual({ status: 'string' });
    expect(run('RENAME', 'zz', 'y')).toEqual({ error: 'ERR no such key' });
    expect(run('FOO', 'a', 'b')).toEqual({ error: "ERR unknown command 'FOO', with args beginning with: 'a' 'b' " });
    expect(run('SET', 't', 'v', 'EX', '10')).toEqual({ status: 'OK' });
    expect(run('TTL', 't')).toBe(10);
    clock.advance(4_400);
    expect(run('PTTL', 't')).toBe(5_600);
    expect(run('TTL', 't')).toBe(6);
    expect(run('PERSIST', 't')).toBe(1);
    expect(run('TTL', 't')).toBe(-1);
    expect(run('EXPIRE', 't', '1')).toBe(1);
    clock.advance(1_000);
    expect(run('GET', 't')).toBeNull();
    expect(run('TTL', 't')).toBe(-2);
    expect(run('DBSIZE')).toBe(4);
    expect(run('SELECT', '16')).toEqual({ error: 'ERR DB index is out of range' });
    expect(run('FLUSHALL')).toEqual({ status: 'OK' });
    expect(run('DBSIZE')).toBe(0);
  });

  it('6.x words unknown commands with backticks', () => {
    const { run } = store('6.0.3');
    expect(run('foo', 'bar')).toEqual({ error: 'ERR unknown command `foo`, with args beginning with: `bar`, ' });
  });

  it('lists, hashes and sets; WRONGTYPE across types', () => {
    const { run } = store();
    expect(run('RPUSH', 'l', 'a', 'b')).toBe(2);
    expect(run('LPUSH', 'l', 'z')).toBe(3);
    expect(run('LRANGE', 'l', '0', '-1')).toEqual(['z', 'a', 'b']);
    expect(run('LPOP', 'l')).toBe('z');
    expect(run('RPOP', 'l', '5')).toEqual(['b', 'a']);
    expect(run('EXISTS', 'l')).toBe(0);
    expect(run('HSET', 'h', 'f1', 'v1', 'f2', 'v2')).toBe(2);
    expect(run('HGET', 'h', 'f1')).toBe('v1');
    expect(run('HGETALL', 'h')).toEqual(['f1', 'v1', 'f2', 'v2']);
    expect(run('HDEL', 'h', 'f1', 'nope')).toBe(1);
    expect(run('SADD', 's', 'x', 'y', 'x')).toBe(2);
    expect(run('SISMEMBER', 's', 'y')).toBe(1);
    expect(run('SREM', 's', 'y')).toBe(1);
    expect(run('SMEMBERS', 's')).toEqual(['x']);
    expect(run('GET', 'h')).toEqual({ error: 'WRONGTYPE Operation against a key holding the wrong kind of value' });
    expect(run('LPUSH', 's', 'q')).toEqual({ error: 'WRONGTYPE Operation against a key holding the wrong kind of value' });
    expect(run('TYPE', 'h')).toEqual({ status: 'hash' });
  });
});

describe('redis-cli rendering', () => {
  it('renders replies as redis-cli does on a terminal and raw', () => {
    expect(formatTty(1)).toBe('(integer) 1\n');
    expect(formatTty('va"l\n')).toBe('"va\\"l\\n"\n');
    expect(formatTty(null)).toBe('(nil)\n');
    expect(formatTty({ status: 'OK' })).toBe('OK\n');
    expect(formatTty({ error: 'ERR x' })).toBe('(error) ERR x\n');
    expect(formatTty([])).toBe('(empty array)\n');
    expect(formatTty(Array.from({ length: 10 }, (_v, i) => `k${i}`))).toMatch(/^ 1\) "k0"\n 2\) "k1"\n[\s\S]*10\) "k9"\n$/);
    expect(formatTty(['0', ['a', 'b']])).toBe('1) "0"\n2) 1) "a"\n   2) "b"\n');
    expect(formatRaw(null)).toBe('\n');
    expect(formatRaw(['a', 'b'])).toBe('a\nb\n');
    expect(formatRaw({ error: 'ERR x' })).toBe('ERR x\n\n');
    expect(splitArgs('set "a b" \'c\\\'d\' e')).toEqual(['set', 'a b', "c'd", 'e']);
    expect(splitArgs('get "unterminated')).toBeUndefined();
  });
});

describe('redis-server', () => {
  it('keeps data in /data across a container restart (a PVC): SAVE, final save on SIGTERM, loaded at start', async () => {
    const data = createEmptyDir(() => T0);
    const clock = new FakeClock(T0);
    const a = boot('redis:7.2', { mounts: [{ mountPath: '/data', fs: data }], clock });
    await settle();
    const resp = a.proc.listeners!()[0]!.resp!;
    expect(resp(['SET', 'user:10', '4'])).toEqual({ status: 'OK' });
    expect(resp(['RPUSH', 'q', 'x'])).toBe(1);
    expect(resp(['SAVE'])).toEqual({ status: 'OK' });
    expect(data.readFile('/dump.rdb').startsWith('REDIS0011')).toBe(true);
    expect(resp(['LASTSAVE'])).toBe(T0 / 1000);
    expect(resp(['INCR', 'user:10'])).toBe(5);
    const info = resp(['INFO', 'persistence']) as string;
    expect(info).toContain('# Persistence\r\nloading:0\r\n');
    expect(info).toContain('rdb_changes_since_last_save:1\r\n');
    clock.advance(30_000);
    a.proc.signal('SIGTERM');
    expect((await a.exit()).exitCode).toBe(0);
    expect(a.out.join('')).toContain('1:M 23 Nov 2026 10:00:30.000 * Saving the final RDB snapshot before exiting.\n1:M 23 Nov 2026 10:00:30.000 * DB saved on disk\n');

    const b = boot('redis:7.2', { mounts: [{ mountPath: '/data', fs: data }], clock });
    await settle();
    expect(b.out.join('')).toContain('1:M 23 Nov 2026 10:00:30.000 * Done loading RDB, keys loaded: 2, keys expired: 0.\n1:M 23 Nov 2026 10:00:30.000 * DB loaded from disk: 0.000 seconds\n');
    const r2 = b.proc.listeners!()[0]!.resp!;
    expect(r2(['GET', 'user:10'])).toBe('5');
    expect(r2(['LRANGE', 'q', '0', '-1'])).toEqual(['x']);
    expect(r2(['INFO', 'keyspace'])).toBe('# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n');
    b.proc.signal('SIGKILL');
  });

  it('the save policy (seed 001: --save 30 1000 --save 300 1) saves in the background with its log lines', async () => {
    const data = createEmptyDir(() => T0);
    const c = boot('redis:6.0.3-alpine', { args: ['--appendonly', 'no', '--save', '300', '1', '--save', '30', '1000'], mounts: [{ mountPath: '/data', fs: data }] });
    await settle();
    const resp = c.proc.listeners!()[0]!.resp!;
    expect(resp(['CONFIG', 'GET', 'save'])).toEqual(['save', '300 1 30 1000']);
    resp(['INCR', 'user:1']);
    await advance(c.clock, 299_000, 50_000);
    expect(data.stat('/dump.rdb')).toBeUndefined();
    await advance(c.clock, 2_000, 1_000);
    expect(c.out.join('')).toContain('1:M 23 Nov 2026 10:05:00.000 * 1 changes in 300 seconds. Saving...\n1:M 23 Nov 2026 10:05:00.000 * Background saving started by pid 20\n20:C 23 Nov 2026 10:05:00.000 * DB saved on disk\n20:C 23 Nov 2026 10:05:00.000 * RDB: 0 MB of memory used by copy-on-write\n1:M 23 Nov 2026 10:05:00.000 * Background saving terminated with success\n');
    expect(data.readFile('/dump.rdb').startsWith('REDIS0009')).toBe(true);
    expect(c.clock.pending()).toBe(0);
    c.proc.signal('SIGKILL');
  });

  it('7.4 startup lines and the 7.x shutdown sequence; redis-cli one-shot and from stdin', async () => {
    const c = boot('redis:7.4');
    await settle();
    const t = '23 Nov 2026 10:00:00.000';
    expect(c.out.join('')).toBe(
      [
        `1:C ${t} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
        `1:C ${t} * Redis version=7.4.6, bits=64, commit=00000000, modified=0, pid=1, just started`,
        `1:C ${t} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
        `1:M ${t} * monotonic clock: POSIX clock_gettime`,
        `1:M ${t} * Running mode=standalone, port=6379.`,
        `1:M ${t} * Server initialized`,
        `1:M ${t} * Ready to accept connections tcp`,
        '',
      ].join('\n'),
    );
    const run = async (argv: string[], stdin?: string) => {
      let out = '';
      let err = '';
      const code = await c.proc.exec!(argv, { stdin, stdout: (s) => (out += s), stderr: (s) => (err += s) });
      return { out, err, code };
    };
    expect(await run(['redis-cli', 'set', 'a', '1'])).toEqual({ out: 'OK\n', err: '', code: 0 });
    expect(await run(['redis-cli', 'incr', 'a'])).toEqual({ out: '2\n', err: '', code: 0 });
    expect(await run(['redis-cli', 'get', 'nope'])).toEqual({ out: '\n', err: '', code: 0 });
    expect((await run(['redis-cli', '--no-raw', 'incr', 'a'])).out).toBe('(integer) 3\n');
    expect(await run(['redis-cli'], 'ping\nget a\n')).toEqual({ out: 'PONG\n3\n', err: '', code: 0 });
    expect(await run(['redis-cli', '-p', '7000', 'ping'])).toEqual({ out: '', err: 'Could not connect to Redis at 127.0.0.1:7000: Connection refused\n', code: 1 });
    c.clock.advance(5_000);
    c.proc.signal('SIGTERM');
    await c.exit();
    expect(c.out.join('')).toContain(`1:signal-handler (${(T0 + 5000) / 1000}) Received SIGTERM scheduling shutdown...\n1:M 23 Nov 2026 10:00:05.000 * User requested shutdown...\n`);
    expect(c.out.join('')).toMatch(/# Redis is now ready to exit, bye bye...\n$/);
  });

  it('redis-cli on a terminal (kubectl exec -it redis-0 -- redis-cli): prompt, pretty replies, quit', async () => {
    const c = boot('redis:7.4');
    await settle();
    let out = '';
    const s = c.proc.execInteractive!(['redis-cli'], { tty: true, stdout: (x) => (out += x), stderr: (x) => (out += x) });
    await settle();
    for (const line of ['set greeting "hello world"', 'get greeting', 'incr n', 'keys *', 'get', 'quit']) {
      s.write(line + '\r');
      await settle();
    }
    expect(await s.exited).toBe(0);
    expect(out).toBe(
      [
        '127.0.0.1:6379> set greeting "hello world"',
        'OK',
        '127.0.0.1:6379> get greeting',
        '"hello world"',
        '127.0.0.1:6379> incr n',
        '(integer) 1',
        '127.0.0.1:6379> keys *',
        '1) "greeting"',
        '2) "n"',
        '127.0.0.1:6379> get',
        "(error) ERR wrong number of arguments for 'get' command",
        '127.0.0.1:6379> quit',
        '',
      ].join('\r\n'),
    );
    c.proc.signal('SIGKILL');
  });
});

/**
 * Binary data through a container: exec stdin → `cat > file` → `cat file` → exec stdout exactly,
 * redirections, tar, head/tail -c, wc -c, sha256sum/md5sum, base64, dd and /dev/zero|urandom,
 * busybox and GNU userlands.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { settle, start, type Started } from '../harness';

/** An exec session with binary stdin; stdout collected as bytes. */
async function run(c: Started, argv: string[], stdin?: Buffer): Promise<{ out: Buffer; err: string; code: number }> {
  const out: Buffer[] = [];
  let err = '';
  const s = c.proc.execInteractive!(argv, {
    tty: false,
    stdout: (x) => out.push(typeof x === 'string' ? Buffer.from(x) : Buffer.from(x)),
    stderr: (x) => (err += typeof x === 'string' ? x : Buffer.from(x).toString()),
  });
  if (stdin) for (let i = 0; i < stdin.length; i += 7000) s.write(stdin.subarray(i, i + 7000));
  s.close();
  const code = await s.exited;
  await settle();
  return { out: Buffer.concat(out), err, code };
}

const sha = (b: Buffer, alg = 'sha256') => createHash(alg).update(b).digest('hex');

// 256 KiB of random bytes with invalid UTF-8 for sure (lone continuation bytes, 0xff, a split character)
const BLOB = Buffer.concat([Buffer.from([0xff, 0x80, 0xc3]), randomBytes(256 * 1024 - 3)]);

for (const image of ['busybox:1.36', 'nginx:1.27']) {
  describe(`bytes through ${image}`, () => {
    it('exec stdin → cat > file → cat file: the same bytes; sha256sum/md5sum agree; wc -c counts bytes', async () => {
      const c = start(image, { command: ['sleep', '3600'] });
      await settle();
      expect(await run(c, ['sh', '-c', 'cat > /tmp/blob'], BLOB)).toMatchObject({ code: 0, err: '' });
      expect((await run(c, ['cat', '/tmp/blob'])).out.equals(BLOB)).toBe(true);
      expect((await run(c, ['sha256sum', '/tmp/blob'])).out.toString()).toBe(`${sha(BLOB)}  /tmp/blob\n`);
      expect((await run(c, ['md5sum'], BLOB)).out.toString()).toBe(`${sha(BLOB, 'md5')}  -\n`);
      expect((await run(c, ['sh', '-c', 'wc -c < /tmp/blob'])).out.toString().trim()).toBe(String(BLOB.length));
      // redirections move bytes: < file, >> file, a pipe through cat
      expect((await run(c, ['sh', '-c', 'cat < /tmp/blob | cat > /tmp/b2; cat /tmp/blob >> /tmp/b2; cat /tmp/b2'])).out.equals(Buffer.concat([BLOB, BLOB]))).toBe(true);
      // head/tail -c cut bytes, not characters
      expect((await run(c, ['head', '-c', '3', '/tmp/blob'])).out).toEqual(Buffer.from([0xff, 0x80, 0xc3]));
      expect((await run(c, ['tail', '-c', '5', '/tmp/blob'])).out.equals(BLOB.subarray(-5))).toBe(true);
      expect((await run(c, ['sh', '-c', 'head -c 1000 /tmp/blob | tail -c 10'])).out.equals(BLOB.subarray(990, 1000))).toBe(true);
      c.proc.signal('SIGKILL');
    });

    it('printf escapes make raw bytes (\\xff, \\377), not the characters U+00FF', async () => {
      const c = start(image, { command: ['sleep', '3600'] });
      await settle();
      const want = Buffer.from([0x00, 0xff, 0x80, 0xc3, 0xa9, 0x0a]);
      expect((await run(c, ['sh', '-c', "printf '\\000\\xff\\200é\\n'"])).out).toEqual(want);
      expect((await run(c, ['printf', '\\000\\xff\\200é\\n'])).out).toEqual(want);
      expect((await run(c, ['sh', '-c', "printf '\\xff\\xfe' > /tmp/two; wc -c < /tmp/two; printf 'ok😀\\n'"])).out.toString()).toMatch(/^\s*2\nok😀\n$/);
      c.proc.signal('SIGKILL');
    });

    it('tr works on bytes: tr -dc a-zA-Z0-9 < /dev/urandom | head -c 16, classes, squeeze, complement, octal escapes', async () => {
      const c = start(image, { command: ['sleep', '3600'] });
      await settle();
      const pw = (await run(c, ['sh', '-c', "tr -dc 'a-zA-Z0-9' < /dev/urandom | head -c 16"])).out.toString();
      expect(pw).toMatch(/^[a-zA-Z0-9]{16}$/);
      expect((await run(c, ['tr', 'a-z', 'A-Z'], Buffer.from('grüße, world\n'))).out.toString()).toBe('GRüßE, WORLD\n');
      expect((await run(c, ['tr', '[:lower:]', '[:upper:]'], Buffer.from('abc\n'))).out.toString()).toBe('ABC\n');
      expect((await run(c, ['tr', '-s', ' '], Buffer.from('a   b  c\n'))).out.toString()).toBe('a b c\n');
      expect((await run(c, ['tr', '-d', '\\000\\377'], Buffer.from([0x61, 0x00, 0xff, 0x62]))).out).toEqual(Buffer.from('ab'));
      expect((await run(c, ['tr', '\\377', 'x'], Buffer.from([0xff, 0x41]))).out).toEqual(Buffer.from('xA'));
      expect((await run(c, ['sh', '-c', 'echo "b a c" | tr " " "\\n" | sort | tr "\\n" ,'])).out.toString()).toBe('a,b,c,');
      c.proc.signal('SIGKILL');
    });

    it('cp and mv keep the bytes; cp -r/-a copies trees; their errors', async () => {
      const c = start(image, { command: ['sleep', '3600'] });
      await settle();
      const gnu = image.startsWith('nginx');
      await run(c, ['sh', '-c', 'mkdir -p /tmp/d/sub && cat > /tmp/d/sub/blob && chmod 600 /tmp/d/sub/blob'], BLOB.subarray(0, 5000));
      expect(await run(c, ['cp', '/tmp/d/sub/blob', '/tmp/copy'])).toMatchObject({ code: 0, err: '' });
      expect((await run(c, ['cat', '/tmp/copy'])).out.equals(BLOB.subarray(0, 5000))).toBe(true);
      expect(await run(c, ['cp', '-a', '/tmp/d', '/tmp/e'])).toMatchObject({ code: 0, err: '' });
      expect(await run(c, ['mv', '/tmp/e/sub/blob', '/tmp/moved'])).toMatchObject({ code: 0, err: '' });
      expect((await run(c, ['sha256sum', '/tmp/moved'])).out.toString()).toBe(`${sha(BLOB.subarray(0, 5000))}  /tmp/moved\n`);
      expect((await run(c, ['ls', '/tmp/e/sub'])).out.toString()).toBe('');
      expect((await run(c, ['cp', '/tmp/d', '/tmp/f'])).err).toBe(gnu ? "cp: -r not specified; omitting directory '/tmp/d'\n" : "cp: omitting directory '/tmp/d'\n");
      expect(await run(c, ['cp', '/nope', '/tmp/x'])).toMatchObject({ code: 1, err: gnu ? "cp: cannot stat '/nope': No such file or directory\n" : "cp: can't stat '/nope': No such file or directory\n" });
      expect(await run(c, ['mv', '/nope', '/tmp/x'])).toMatchObject({ code: 1, err: gnu ? "mv: cannot stat '/nope': No such file or directory\n" : "mv: can't rename '/nope': No such file or directory\n" });
      c.proc.signal('SIGKILL');
    });

    it('od shows bytes (default words, -c, -b, -x, -An -tx1, -N/-j, * for repeats); busybox hexdump -C', async () => {
      const c = start(image, { command: ['sleep', '3600'] });
      await settle();
      const od = async (args: string[], input: Buffer) => (await run(c, ['od', ...args], input)).out.toString();
      const hello = Buffer.from('hello\n');
      expect(await od([], hello)).toBe('0000000 062550 066154 005157\n0000006\n');
      expect(await od(['-c'], hello)).toBe('0000000   h   e   l   l   o  \\n\n0000006\n');
      expect(await od(['-b'], hello)).toBe('0000000 150 145 154 154 157 012\n0000006\n');
      expect(await od(['-x'], Buffer.from('hi\n'))).toBe('0000000 6968 000a\n0000003\n');
      expect(await od(['-An', '-tx1'], Buffer.from([0x00, 0xff, 0x80]))).toBe(' 00 ff 80\n');
      expect(await od(['-c'], Buffer.from([0xff, 0x00, 0x09]))).toBe('0000000 377  \\0  \\t\n0000003\n');
      expect(await od(['-A', 'd', '-t', 'd1', '-N', '2', '-j', '1'], Buffer.from([1, 0xff, 0x7f, 5]))).toBe('0000001   -1  127\n0000003\n');
      expect(await od(['-An', '-tx1'], Buffer.alloc(40))).toBe(`${' 00'.repeat(16)}\n*\n${' 00'.repeat(8)}\n`);
      expect((await run(c, ['sh', '-c', 'head -c 32 /dev/zero | od -c'])).out.toString()).toBe(`0000000${'  \\0'.repeat(16)}\n*\n0000040\n`);
      if (image.startsWith('busybox')) {
        expect((await run(c, ['hexdump', '-C'], Buffer.concat([hello, Buffer.from([0x00, 0xff])]))).out.toString()).toBe(
          '00000000  68 65 6c 6c 6f 0a 00 ff                           |hello...|\n00000008\n',
        );
      }
      c.proc.signal('SIGKILL');
    });

    it('tar of a binary file to stdout and back; base64 round trip; dd and the devices', async () => {
      const c = start(image, { command: ['sleep', '3600'] });
      await settle();
      await run(c, ['sh', '-c', 'mkdir -p /tmp/src && cat > /tmp/src/blob'], BLOB);
      const archive = (await run(c, ['tar', 'cf', '-', '-C', '/tmp', 'src'])).out;
      expect(archive.includes(BLOB)).toBe(true);
      expect(await run(c, ['sh', '-c', 'mkdir /tmp/dst && tar xf - -C /tmp/dst'], archive)).toMatchObject({ code: 0 });
      expect((await run(c, ['cat', '/tmp/dst/src/blob'])).out.equals(BLOB)).toBe(true);
      // gzip inside the container, then out over exec and in again
      const tgz = (await run(c, ['sh', '-c', 'tar czf /tmp/a.tgz -C /tmp src && cat /tmp/a.tgz'])).out;
      expect([tgz[0], tgz[1]]).toEqual([0x1f, 0x8b]);
      expect(await run(c, ['sh', '-c', 'mkdir /tmp/z && tar xzf - -C /tmp/z && cmp_sum=$(sha256sum < /tmp/z/src/blob) && echo "$cmp_sum"'], tgz)).toMatchObject({ code: 0 });
      expect((await run(c, ['sha256sum', '/tmp/z/src/blob'])).out.toString()).toBe(`${sha(BLOB)}  /tmp/z/src/blob\n`);
      const b64 = (await run(c, ['base64', '/tmp/src/blob'])).out.toString();
      expect(b64.split('\n')[0]).toBe(BLOB.toString('base64').slice(0, 76));
      expect((await run(c, ['base64', '-d'], Buffer.from(b64))).out.equals(BLOB)).toBe(true);
      expect(await run(c, ['base64', '-d'], Buffer.from('@@@@'))).toMatchObject({ code: 1, err: 'base64: invalid input\n' });
      // the devices: random bytes differ, zeros are zeros, counts are exact
      const r1 = (await run(c, ['head', '-c', '100', '/dev/urandom'])).out;
      const r2 = (await run(c, ['sh', '-c', 'cat /dev/urandom | head -c 100'])).out;
      expect([r1.length, r2.length]).toEqual([100, 100]);
      expect(r1.equals(r2)).toBe(false);
      expect((await run(c, ['sh', '-c', 'head -c 5000 < /dev/zero'])).out.equals(Buffer.alloc(5000))).toBe(true);
      expect((await run(c, ['ls', '/dev'])).out.toString()).toContain('null\nrandom\nurandom\nzero\n');
      expect((await run(c, ['sh', '-c', '[ -c /dev/null ] && [ ! -f /dev/zero ] && [ -f /tmp/src/blob ] && [ ! -c /tmp/src/blob ] && echo yes'])).out.toString()).toBe('yes\n');
      expect((await run(c, ['ls', '-l', '/dev/urandom'])).out.toString()).toMatch(image.startsWith('busybox') ? /^crw-rw-rw- {4}1 root {5}root {7}1, {4}9 / : /^crw-rw-rw- 1 root root 1, 9 /);
      const dd = await run(c, ['dd', 'if=/dev/zero', 'of=/tmp/zeros', 'bs=1k', 'count=4']);
      expect(dd.code).toBe(0);
      expect(dd.err.split('\n').slice(0, 2)).toEqual(['4+0 records in', '4+0 records out']);
      expect(dd.err).toContain('4096 bytes (');
      expect((await run(c, ['sh', '-c', 'wc -c < /tmp/zeros'])).out.toString().trim()).toBe('4096');
      expect((await run(c, ['dd', 'bs=3', 'skip=1', 'count=2', 'status=none'], Buffer.from('abcdefghij'))).out.toString()).toBe('defghi');
      c.proc.signal('SIGKILL');
    });
  });
}

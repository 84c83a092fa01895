/**
 * tar in the container against GNU tar on this machine: archives our tar writes are listed and
 * extracted by /usr/bin/tar (ustar/GNU headers, checksums, long names, UTF-8 data); archives
 * /usr/bin/tar writes (gnu, ustar with prefix, pax as Go's archive/tar writes long names) are
 * extracted by ours, fed in odd-sized chunks as kubectl's exec stream does; upstream error texts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { settle, start, type Started } from '../harness';

const host = mkdtempSync(join(tmpdir(), 'kubesim-tar-'));
afterAll(() => rmSync(host, { recursive: true, force: true }));

const LONG = `deep/${'d'.repeat(60)}/${'n'.repeat(70)}.txt`;

async function run(c: Started, argv: string[], stdin?: Buffer): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const s = c.proc.execInteractive!(argv, { tty: false, stdout: (x) => (out += x), stderr: (x) => (err += x) });
  if (stdin) {
    // as the kubelet hands it on: UTF-8 decoded across frames of 1000 bytes
    const { StringDecoder } = await import('node:string_decoder');
    const d = new StringDecoder('utf8');
    for (let i = 0; i < stdin.length; i += 1000) s.write(d.write(stdin.subarray(i, i + 1000)));
    s.write(d.end());
  }
  s.close();
  const code = await s.exited;
  await settle();
  return { out, err, code };
}

function boot(image: string): Started {
  return start(image, { command: ['sleep', '3600'] });
}

for (const image of ['busybox:1.36', 'nginx:1.25']) {
  describe(`tar in ${image}`, () => {
    it('tar cf - writes an archive GNU tar lists and extracts (long names, UTF-8, directories, leading / removed)', async () => {
      const c = boot(image);
      await settle();
      const mk = await run(c, ['sh', '-c', `mkdir -p /tmp/d/sub /tmp/d/${LONG.slice(0, LONG.lastIndexOf('/'))} && printf 'héllo wörld\\n' > /tmp/d/a.txt && echo two > /tmp/d/sub/b && echo long > /tmp/d/${LONG}`]);
      expect(mk.code).toBe(0);
      const r = await run(c, ['tar', 'cf', '-', '/tmp/d', '/etc/hostname']);
      expect(r.code).toBe(0);
      expect(r.err).toBe(image.startsWith('busybox') ? "tar: removing leading '/' from member names\n" : "tar: Removing leading `/' from member names\n");
      const bytes = Buffer.from(r.out, 'utf8'); // what kubectl receives
      expect(bytes.length % 512).toBe(0);
      const file = join(host, `${image.replace(/\W/g, '_')}.tar`);
      writeFileSync(file, bytes);
      const names = execFileSync('tar', ['tf', file], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
      expect(names).toEqual(['etc/hostname', 'tmp/d/', 'tmp/d/a.txt', 'tmp/d/deep/', `tmp/d/deep/${'d'.repeat(60)}/`, `tmp/d/${LONG}`, 'tmp/d/sub/', 'tmp/d/sub/b'].sort());
      const verbose = execFileSync('tar', ['tvf', file], { encoding: 'utf8' });
      expect(verbose).toMatch(/^-rw-r--r-- root\/root\s+14 \d{4}-\d\d-\d\d \d\d:\d\d tmp\/d\/a\.txt$/m);
      const out = join(host, `${image.replace(/\W/g, '_')}-x`);
      mkdirSync(out);
      execFileSync('tar', ['xf', file, '-C', out]);
      expect(readFileSync(join(out, 'tmp/d/a.txt'), 'utf8')).toBe('héllo wörld\n');
      expect(readFileSync(join(out, 'tmp/d', LONG), 'utf8')).toBe('long\n');
      expect(readFileSync(join(out, 'etc/hostname'), 'utf8')).toBe('mypod\n');
    });

    for (const format of ['gnu', 'ustar', 'pax']) {
      it(`tar -xmf - -C dir extracts a ${format} archive from GNU tar fed in chunks`, async () => {
        const src = join(host, `src-${format}-${image.replace(/\W/g, '_')}`);
        mkdirSync(join(src, 'dir/empty'), { recursive: true });
        const deep = format === 'ustar' ? `${'p'.repeat(90)}/${'q'.repeat(90)}.txt` : LONG;
        mkdirSync(join(src, 'dir', deep, '..'), { recursive: true });
        writeFileSync(join(src, 'dir/ünï.txt'), 'çà et là — ✓\n'.repeat(300));
        writeFileSync(join(src, 'dir', deep), 'deep\n');
        execFileSync('chmod', ['755', join(src, 'dir/ünï.txt')]);
        const archive = execFileSync('tar', [`--format=${format}`, '-cf', '-', '-C', src, 'dir']);
        const c = boot(image);
        await settle();
        expect((await run(c, ['mkdir', '/tmp/dst'])).code).toBe(0);
        const r = await run(c, ['tar', '-xmf', '-', '-C', '/tmp/dst'], archive);
        expect(r).toEqual({ out: '', err: '', code: 0 });
        const cat = await run(c, ['cat', '/tmp/dst/dir/ünï.txt', `/tmp/dst/dir/${deep}`]);
        expect(cat.out).toBe('çà et là — ✓\n'.repeat(300) + 'deep\n');
        const ls = await run(c, ['ls', '-l', '/tmp/dst/dir']);
        expect(ls.out).toMatch(/-rwxr-xr-x .* ünï\.txt/);
        expect(ls.out).toMatch(/^d.* empty$/m);
      });
    }

    it('--no-same-permissions applies the umask, t lists, v names members', async () => {
      const src = join(host, `perm-${image.replace(/\W/g, '_')}`);
      mkdirSync(src);
      writeFileSync(join(src, 'f'), 'x\n');
      execFileSync('chmod', ['777', join(src, 'f')]);
      const archive = execFileSync('tar', ['-cf', '-', '-C', src, 'f']);
      const c = boot(image);
      await settle();
      const r = await run(c, ['tar', '--no-same-permissions', '--no-same-owner', '-xmvf', '-', '-C', '/tmp'], archive);
      expect(r).toEqual({ out: 'f\n', err: '', code: 0 });
      expect((await run(c, ['ls', '-l', '/tmp/f'])).out).toMatch(/^-rwxr-xr-x /);
      const t = await run(c, ['tar', 'tf', '-'], archive);
      expect(t.out).toBe('f\n');
    });

    it('z: gzip archives through a file and a pipe inside the container', async () => {
      const c = boot(image);
      await settle();
      const r = await run(c, ['sh', '-c', 'mkdir -p /tmp/z/in && echo zipped > /tmp/z/in/f && cd /tmp/z && tar czf a.tgz in && mkdir o1 o2 && tar xzf a.tgz -C o1 && tar czf - in | tar xzvf - -C o2 && cat o1/in/f o2/in/f']);
      expect(r.err).toBe('');
      expect(r.out).toBe('in/\nin/f\nzipped\nzipped\n');
      expect(r.code).toBe(0);
    });
  });
}

describe('tar error texts', () => {
  it('a missing member: GNU tar (exit 2) and busybox (exit 1)', async () => {
    const g = boot('nginx:1.25');
    const b = boot('busybox:1.36');
    await settle();
    const rg = await run(g, ['tar', 'cf', '-', '/nope']);
    expect(rg.err).toBe("tar: Removing leading `/' from member names\ntar: /nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n");
    expect(rg.code).toBe(2);
    expect(Buffer.from(rg.out).length).toBe(10240); // an empty archive, one record
    const rb = await run(b, ['tar', 'cf', '-', '/nope']);
    expect(rb.err).toBe('tar: /nope: No such file or directory\ntar: error exit delayed from previous errors\n');
    expect(rb.code).toBe(1);
  });

  it('v names members on stderr when the archive goes to stdout (GNU: as given, with the leading /)', async () => {
    const g = boot('nginx:1.25');
    const b = boot('busybox:1.36');
    await settle();
    for (const c of [g, b]) expect((await run(c, ['sh', '-c', 'mkdir /tmp/q && echo hi > /tmp/q/f'])).code).toBe(0);
    expect((await run(g, ['tar', 'cvf', '-', '/tmp/q'])).err).toBe("tar: Removing leading `/' from member names\n/tmp/q/\n/tmp/q/f\n");
    expect((await run(b, ['tar', 'cvf', '-', '/tmp/q'])).err).toBe("tar: removing leading '/' from member names\ntmp/q/\ntmp/q/f\n");
    const toFile = await run(g, ['tar', '-cvf', '/tmp/q.tar', '-C', '/tmp', 'q']);
    expect(toFile).toEqual({ out: 'q/\nq/f\n', err: '', code: 0 });
    expect((await run(g, ['tar', 'tvf', '/tmp/q.tar'])).out).toMatch(/^drwxr-xr-x root\/root {9}0 2026-11-23 10:00 q\/\n-rw-r--r-- root\/root {9}3 2026-11-23 10:00 q\/f\n$/);
  });

  it('-C to a missing directory, an archive that is not tar, a truncated one', async () => {
    const g = boot('nginx:1.25');
    const b = boot('busybox:1.36');
    await settle();
    const tarBytes = execFileSync('tar', ['-cf', '-', '-C', host, '.']);
    expect(await run(g, ['tar', '-xmf', '-', '-C', '/no/dir'], tarBytes)).toEqual({ out: '', err: 'tar: /no/dir: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n', code: 2 });
    expect(await run(b, ['tar', '-xmf', '-', '-C', '/no/dir'], tarBytes)).toEqual({ out: '', err: "tar: can't change directory to '/no/dir': No such file or directory\n", code: 1 });
    const junk = Buffer.from('hello, this is not an archive\n'.repeat(40));
    expect(await run(g, ['tar', 'xf', '-'], junk)).toEqual({ out: '', err: 'tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\n', code: 2 });
    expect(await run(b, ['tar', 'xf', '-'], junk)).toEqual({ out: '', err: 'tar: invalid tar magic\n', code: 1 });
    const cut = tarBytes.subarray(0, 700);
    expect((await run(g, ['tar', 'xf', '-', '-C', '/tmp'], cut)).err).toBe('tar: Unexpected EOF in archive\ntar: Error is not recoverable: exiting now\n');
    expect(await run(g, ['tar', 'xzf', '-'], tarBytes)).toEqual({ out: '', err: 'gzip: stdin: not in gzip format\ntar: Child returned status 1\ntar: Error is not recoverable: exiting now\n', code: 2 });
    expect((await run(g, ['tar', 'cf', '-'])).err).toBe("tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.\n");
    expect((await run(g, ['tar', 'f', '-'])).code).toBe(2);
  });
});

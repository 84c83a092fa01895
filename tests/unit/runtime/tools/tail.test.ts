/** `tail -c N` / `tail -c +N` (kubectl cp --retries resumes with `tar cf - … | tail -c+N`), busybox and GNU. */
import { describe, expect, it } from 'vitest';
import { settle, start, type Started } from '../harness';

async function run(c: Started, argv: string[], stdin?: string): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const code = await c.proc.exec!(argv, { stdin, stdout: (x) => (out += x), stderr: (x) => (err += x) });
  await settle();
  return { out, err, code };
}

for (const [image, invalid] of [
  ['busybox:1.36', "tail: invalid number 'x1'\n"],
  ['nginx:1.25', "tail: invalid number of bytes: 'x1'\n"],
] as const) {
  describe(`tail -c (${image})`, () => {
    it('last N bytes, from byte N on (+N, -c+N attached, --bytes=), size suffixes, UTF-8 bytes, files and stdin', async () => {
      const c = start(image, { command: ['sleep', '3600'] });
      await settle();
      expect(await run(c, ['tail', '-c', '4'], 'hello world\n')).toEqual({ out: 'rld\n', err: '', code: 0 });
      expect((await run(c, ['tail', '-c+7'], 'hello world\n')).out).toBe('world\n');
      expect((await run(c, ['tail', '-c', '+1'], 'abc')).out).toBe('abc');
      expect((await run(c, ['tail', '-c', '+0'], 'abc')).out).toBe('abc');
      expect((await run(c, ['tail', '-c', '+9'], 'abc')).out).toBe('');
      expect((await run(c, ['tail', '-c', '100'], 'abc')).out).toBe('abc');
      expect((await run(c, ['tail', '-c', '1k'], 'x'.repeat(3000))).out).toBe('x'.repeat(1024));
      // bytes, not characters: é is two bytes
      expect((await run(c, ['tail', '-c', '+3'], 'éa\nb')).out).toBe('a\nb');
      expect((await run(c, ['tail', '-c', '4'], 'xéa\n')).out).toBe('éa\n');
      expect((await run(c, ['sh', '-c', 'printf "one\\ntwo\\n" > /tmp/f; tail -c+5 /tmp/f; tail -c 2 /tmp/f'])).out).toBe('two\no\n');
      expect(await run(c, ['tail', '-c', 'x1'], 'abc')).toEqual({ out: '', err: invalid, code: 1 });
      if (image !== 'busybox:1.36') expect((await run(c, ['tail', '--bytes=+2'], 'abc')).out).toBe('bc');
      // lines are unchanged
      expect((await run(c, ['tail', '-n', '1'], 'a\nb\n')).out).toBe('b\n');
      c.proc.signal('SIGKILL');
    });
  });
}

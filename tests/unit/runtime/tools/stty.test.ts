/** stty on the exec terminal: size from the client's resize, settings accepted, upstream texts without a tty. */
import { describe, expect, it } from 'vitest';
import { settle, start, type Started } from '../harness';

function terminal(c: Started, argv: string[]) {
  let out = '';
  const s = c.proc.execInteractive!(argv, { tty: true, stdout: (x) => (out += x), stderr: (x) => (out += x) });
  return { s, out: () => out };
}

async function piped(c: Started, argv: string[]) {
  let out = '';
  let err = '';
  const s = c.proc.execInteractive!(argv, { tty: false, stdout: (x) => (out += x), stderr: (x) => (err += x) });
  s.close();
  const code = await s.exited;
  return { out, err, code };
}

for (const [image, prompt] of [['busybox:1.36', '/ # '], ['nginx:1.25', '# ']] as const) {
  describe(`stty in ${image}`, () => {
    it('stty size prints the rows and columns the exec client sent; they follow a resize', async () => {
      const c = start(image, { command: ['sleep', '3600'] });
      await settle();
      const t = terminal(c, ['sh']);
      t.s.resize!(132, 43);
      await settle();
      t.s.write('stty size\n');
      await settle();
      expect(t.out()).toContain('stty size\r\n43 132\r\n');
      t.s.resize!(80, 24);
      t.s.write('stty size; stty raw -echo; stty sane; echo ok=$?\n');
      await settle();
      expect(t.out()).toContain('24 80\r\nok=0\r\n');
      t.s.write('stty -a | head -1\n');
      await settle();
      expect(t.out()).toContain('speed 38400 baud; rows 24; columns 80; line = 0;\r\n');
      t.s.write('echo | stty size\n');
      await settle();
      expect(t.out()).toContain(image.startsWith('busybox') ? 'stty: standard input: Not a tty\r\n' : "stty: 'standard input': Inappropriate ioctl for device\r\n");
      t.s.write('stty bogus; echo rc=$?\nexit\n');
      expect(await t.s.exited).toBe(0);
      expect(t.out()).toContain("stty: invalid argument 'bogus'");
      expect(t.out()).toContain('rc=1');
      expect(t.out()).toContain(prompt);
    });

    it('without a terminal stty fails as upstream (exit 1)', async () => {
      const c = start(image, { command: ['sleep', '3600'] });
      await settle();
      const r = await piped(c, ['stty', 'size']);
      expect(r).toEqual({ out: '', err: image.startsWith('busybox') ? 'stty: standard input: Not a tty\n' : "stty: 'standard input': Inappropriate ioctl for device\n", code: 1 });
    });
  });
}

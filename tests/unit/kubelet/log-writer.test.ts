import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src-main/client/clock';
import { ContainerLogWriter, MAX_LOG_LINE } from '../../../src-main/kubelet/log-writer';
import { serveLog } from '../../../src-main/kubelet/log-reader';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function writer(): ContainerLogWriter {
  const d = mkdtempSync(join(tmpdir(), 'logw-'));
  dirs.push(d);
  return new ContainerLogWriter(join(d, 'web', '0.log'), new FakeClock(Date.parse('2026-11-23T10:00:00.120Z')));
}

const turn = () => new Promise<void>((r) => setImmediate(r));

function collect(w: ContainerLogWriter, follow: boolean): { text: () => string } {
  let text = '';
  const s = serveLog(w.path, w, { follow, previous: false, timestamps: false });
  s.onData((c) => (text += c));
  return { text: () => text };
}

describe('ContainerLogWriter', () => {
  it('batches lines into one append per turn in the CRI format', async () => {
    const w = writer();
    w.write('stdout', 'one\ntwo\n');
    w.write('stderr', 'oops\n');
    expect(readFileSync(w.path, 'utf8')).toBe('');
    await turn();
    expect(readFileSync(w.path, 'utf8')).toBe('2026-11-23T10:00:00.12Z stdout F one\n2026-11-23T10:00:00.12Z stdout F two\n2026-11-23T10:00:00.12Z stderr F oops\n');
  });

  it('splits lines longer than 16 KiB into P pieces and writes a big burst before the turn ends', () => {
    const w = writer();
    w.write('stdout', 'x'.repeat(MAX_LOG_LINE + 5) + '\n');
    for (let i = 0; i < 5000; i++) w.write('stdout', `line ${i}\n`);
    const lines = readFileSync(w.path, 'utf8').split('\n');
    expect(lines[0]).toBe(`2026-11-23T10:00:00.12Z stdout P ${'x'.repeat(MAX_LOG_LINE)}`);
    expect(lines[1]).toBe('2026-11-23T10:00:00.12Z stdout F xxxxx');
    expect(lines.length).toBeGreaterThan(1000);
  });

  it('a reader sees every line exactly once: pending lines from the file, later ones live', async () => {
    const w = writer();
    w.write('stdout', 'a\nb\n');
    const r = collect(w, true);
    w.write('stdout', 'c\n');
    await turn();
    w.write('stdout', 'd\n');
    w.close();
    expect(r.text()).toBe('a\nb\nc\nd\n');
    expect(collect(w, false).text()).toBe('a\nb\nc\nd\n');
  });

  it('close() writes an unterminated last line as a full line', () => {
    const w = writer();
    w.write('stdout', 'no newline');
    w.close();
    expect(readFileSync(w.path, 'utf8')).toBe('2026-11-23T10:00:00.12Z stdout F no newline\n');
  });
});

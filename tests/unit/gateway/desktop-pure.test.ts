/**
 * The desktop app's pure helpers (no Electron loaded): reading `kubesim serve`'s output lines and
 * picking the serve flags out of Electron's command line. (Kept beside the gateway tests: the
 * desktop has no test folder of its own yet.)
 */
import { describe, expect, it } from 'vitest';
import { ServeOutputParser } from '../../../src-main/desktop/serve-output';
import { serveArgsFrom } from '../../../src-main/desktop/serve-args';

describe('ServeOutputParser', () => {
  it('reports the endpoints once ready has been printed, across chunk boundaries', () => {
    const p = new ServeOutputParser();
    expect(p.push('kubesim: data dir /x\nAPI server: https://127.0.0.1:6')).toBeUndefined();
    expect(p.push('443\nUI: http://127.0.0.1:7000/?session=abc\n')).toBeUndefined();
    expect(p.apiUrl).toBe('https://127.0.0.1:6443');
    expect(p.push('rea')).toBeUndefined();
    expect(p.push('dy\r\n')).toEqual({ apiUrl: 'https://127.0.0.1:6443', uiUrl: 'http://127.0.0.1:7000/?session=abc' });
  });

  it('does not take "ready" inside another line, nor URLs with the wrong scheme', () => {
    const p = new ServeOutputParser();
    expect(p.push('API server: http://127.0.0.1:1\nUI: https://127.0.0.1:2/\nnot ready yet\n')).toBeUndefined();
    expect(p.apiUrl).toBeUndefined();
    expect(p.uiUrl).toBeUndefined();
    expect(p.ready).toBe(false);
  });
});

describe('serveArgsFrom', () => {
  it('keeps the serve flags and drops Electron/Chromium switches and stray words', () => {
    expect(serveArgsFrom(['/app', '--data-dir', '/d', '--no-sandbox', '--fast', '--nodes=3', '--inspect=9229', 'junk', '--kubeconfig', '/k'])).toEqual([
      '--data-dir',
      '/d',
      '--fast',
      '--nodes=3',
      '--kubeconfig',
      '/k',
    ]);
  });

  it('passes nothing by default (serve uses its own defaults)', () => {
    expect(serveArgsFrom(['/work/main'])).toEqual([]);
  });
});

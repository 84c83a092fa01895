/**
 * The nginx request path's shortcuts (the LoadBalancer benchmark's hot path) answer exactly as the
 * general path: clean URIs used as they are, roots joined without re-resolving, plain index names,
 * static files answered without a promise (only proxy_pass waits), files changed between requests.
 */
import { describe, expect, it } from 'vitest';
import { createEmptyDir } from '../../../../src-main/runtime';
import { normalizeUri } from '../../../../src-main/runtime/images/nginx-http';
import type { HttpRequest } from '../../../../src-main/runtime/types';
import { boot, settle } from './helpers';

function withConf(conf: string, files: Record<string, string>) {
  const confd = createEmptyDir();
  confd.writeFile('/default.conf', conf);
  const html = createEmptyDir(() => Date.UTC(2026, 10, 23, 9, 0, 0));
  for (const [p, t] of Object.entries(files)) {
    html.mkdir(p.slice(0, p.lastIndexOf('/')) || '/', { parents: true });
    html.writeFile(p, t);
  }
  const box = boot('nginx:1.27', {
    mounts: [
      { mountPath: '/etc/nginx/conf.d', fs: confd, readOnly: true },
      { mountPath: '/srv', fs: html },
    ],
  });
  return { box, html };
}

const get = (path: string, host = 'web'): HttpRequest => ({ method: 'GET', path, headers: { host, 'user-agent': 'curl/8.5.0' }, remoteAddress: '::ffff:10.244.0.1', httpVersion: '1.1' });

describe('nginx request path', () => {
  it('normalizes URIs as nginx whether or not they are already clean', () => {
    expect(normalizeUri('/')).toBe('/');
    expect(normalizeUri('/a/b/')).toBe('/a/b/');
    expect(normalizeUri('/a//b')).toBe('/a/b');
    expect(normalizeUri('/a/./b/.')).toBe('/a/b');
    expect(normalizeUri('/a/../b')).toBe('/b');
    expect(normalizeUri('/.hidden')).toBe('/.hidden');
    expect(normalizeUri('/%61%2Fb')).toBe('/a/b');
    expect(normalizeUri('/..')).toBeUndefined();
    expect(normalizeUri('/%zz')).toBeUndefined();
    expect(normalizeUri('a')).toBeUndefined();
  });

  it('roots with a trailing slash or `/`, index names with a path, hidden files: the same files as the general path', async () => {
    const conf = `server {
    listen 80;
    server_name web;
    root /srv/;
    index sub/start.html index.html;
    location /top/ { root /; index ../srv/index.html; }
}
`;
    const { box } = withConf(conf, { '/index.html': 'root index\n', '/sub/start.html': 'sub start\n', '/.well-known/x': 'hidden\n', '/d/index.html': 'd\n' });
    await settle();
    const l = box.proc.listeners!().find((x) => x.port === 80)!;
    const body = async (path: string) => {
      const r = await l.http!(get(path));
      return `${r.status} ${r.body}`;
    };
    // `index sub/start.html` (not a plain name) is looked up relative to the directory
    expect(await body('/')).toBe('200 sub start\n');
    expect(await body('/d/')).toBe('200 d\n');
    expect(await body('/.well-known/x')).toBe('200 hidden\n');
    expect(await body('//d//index.html')).toBe('200 d\n');
    // root `/`: /top/ is the directory /top, which does not exist
    expect(await body('/top/')).toMatch(/^404 /);
    expect(box.err.join('')).toContain('"/top/index.html" is not found (2: No such file or directory)');
    box.proc.signal('SIGKILL');
  });

  it('answers static files synchronously with their current content; proxy_pass answers through a promise', async () => {
    const conf = 'server {\n    listen 80;\n    server_name web;\n    root /srv;\n    location /api/ { proxy_pass http://10.244.9.9:8080; }\n}\n';
    const { box, html } = withConf(conf, { '/index.html': 'one\n' });
    await settle();
    const l = box.proc.listeners!().find((x) => x.port === 80)!;
    const first = l.http!(get('/'));
    expect(first).not.toBeInstanceOf(Promise);
    expect((first as { body: string }).body).toBe('one\n');
    html.writeFile('/index.html', 'two!\n');
    const second = l.http!(get('/'));
    expect([(second as { body: string }).body, (second as { headers: Record<string, string> }).headers['Content-Length']]).toEqual(['two!\n', '5']);
    html.remove('/index.html');
    expect((l.http!(get('/')) as { status: number }).status).toBe(403);
    const proxied = l.http!(get('/api/x'));
    expect(proxied).toBeInstanceOf(Promise);
    expect((await proxied).status).toBe(502);
    expect(box.out.filter((x) => x.includes('"GET / HTTP/1.1"')).map((x) => x.split('"GET / HTTP/1.1" ')[1]!.split(' ').slice(0, 2).join(' '))).toEqual(['200 4', '200 5', '403 153']);
    box.proc.signal('SIGKILL');
  });
});

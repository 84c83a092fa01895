import { describe, expect, it } from 'vitest';
import { createEmptyDir } from '../../../../src-main/runtime';
import { NginxConfError, findLocation, httpConfig, parseConf } from '../../../../src-main/runtime/images/nginx-conf';
import { INDEX_HTML_2012, INDEX_HTML_2021 } from '../../../../src-main/runtime/images/nginx-pages';
import { boot, network, settle, until, wireGet } from './helpers';

const T = '2026/11/23 10:00:00';

/** nginx with its conf.d/default.conf replaced by a mounted volume (a ConfigMap's role). */
function withConf(image: string, conf: string, extra: { net?: import('../../../../src-main/network/types').PodNetwork; files?: Record<string, string>; dnsClient?: import('../../../../src-main/runtime/types').ContainerConfig['dnsClient'] } = {}) {
  const confd = createEmptyDir();
  confd.writeFile('/default.conf', conf);
  const mounts = [{ mountPath: '/etc/nginx/conf.d', fs: confd, readOnly: true }];
  if (extra.files) {
    const html = createEmptyDir(() => Date.UTC(2026, 10, 23, 9, 0, 0));
    for (const [p, t] of Object.entries(extra.files)) {
      html.mkdir(p.slice(0, p.lastIndexOf('/')) || '/', { parents: true });
      html.writeFile(p, t);
    }
    mounts.push({ mountPath: '/usr/share/nginx/html', fs: html, readOnly: true });
  }
  return boot(image, { mounts, net: extra.net, dnsClient: extra.dnsClient });
}

describe('nginx configuration parser', () => {
  it('parses blocks, quotes and comments; reports nginx\'s syntax errors with file:line', () => {
    const d = parseConf('server {\n  listen 8080; # a comment\n  add_header X-A "a b;c";\n  location / { return 200 \'ok\'; }\n}\n', '/etc/nginx/conf.d/x.conf');
    expect(d[0]!.name).toBe('server');
    expect(d[0]!.block!.map((x) => [x.name, x.args, x.line])).toEqual([
      ['listen', ['8080'], 2],
      ['add_header', ['X-A', 'a b;c'], 3],
      ['location', ['/'], 4],
    ]);
    expect(() => parseConf('server {\n listen 80;\n', '/etc/nginx/conf.d/a.conf')).toThrow(new NginxConfError('unexpected end of file, expecting "}" in /etc/nginx/conf.d/a.conf:3'));
    expect(() => parseConf('}\n', '/etc/nginx/conf.d/a.conf')).toThrow('unexpected "}" in /etc/nginx/conf.d/a.conf:1');
    expect(() => parseConf('server { listen 80 }', '/f')).toThrow('unexpected "}" in /f:1');
  });

  it('picks locations in nginx order: =, longest prefix, ^~, regex before prefix', () => {
    const main = parseConf(
      'http { server { location / {} location /img/ {} location ^~ /static/ {} location ~* \\.(png|jpg)$ {} location = /exact {} } }',
      '/etc/nginx/nginx.conf',
    );
    const conf = httpConfig(main, new Map());
    const pick = (uri: string) => {
      const l = findLocation(conf.servers[0]!.locations, uri)!.loc;
      return `${l.modifier}${l.modifier ? ' ' : ''}${l.pattern}`;
    };
    expect(pick('/exact')).toBe('= /exact');
    expect(pick('/exact/more')).toBe('/');
    expect(pick('/img/a.txt')).toBe('/img/');
    expect(pick('/img/a.PNG')).toBe('~* \\.(png|jpg)$');
    expect(pick('/static/a.png')).toBe('^~ /static/');
  });
});

describe('nginx image eras', () => {
  it('1.27: welcome page (615 bytes) with nginx\'s headers, HEAD, conditional GET, main log format', async () => {
    const c = boot('nginx:1.27');
    await settle();
    const res = await c.http({ path: '/' });
    expect(res.body).toBe(INDEX_HTML_2021);
    expect(res.headers).toEqual({
      Server: 'nginx/1.27.5',
      Date: 'Mon, 23 Nov 2026 10:00:00 GMT',
      'Content-Type': 'text/html',
      'Content-Length': '615',
      'Last-Modified': 'Wed, 16 Apr 2025 12:55:34 GMT',
      Connection: 'keep-alive',
      ETag: '"67ffa8c6-267"',
      'Accept-Ranges': 'bytes',
    });
    expect(c.out[c.out.length - 1]).toBe('10.244.0.1 - - [23/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"\n');
    // the image ships curl
    let curl = '';
    expect(await c.proc.exec!(['curl', '-s', 'http://127.0.0.1/'], { stdout: (x) => (curl += x), stderr: (x) => (curl += x) })).toBe(0);
    expect(curl).toBe(INDEX_HTML_2021);
    const head = await c.http({ path: '/index.html', method: 'HEAD' });
    expect([head.status, head.body, head.headers!['Content-Length']]).toEqual([200, '', '615']);
    expect(c.out[c.out.length - 1]).toContain('"HEAD /index.html HTTP/1.1" 200 0 ');
    const again = await c.http({ path: '/', headers: { 'if-none-match': '"67ffa8c6-267"' } });
    expect(again.status).toBe(304);
    c.proc.signal('SIGKILL');
  });

  it('1.14.2 (the k8s docs example): no entrypoint, one worker, silent start, the 612-byte page, bgcolor error pages', async () => {
    const c = boot('nginx:1.14.2');
    await settle();
    expect(c.text()).toBe('');
    const res = await c.http({ path: '/' });
    expect(res.body).toBe(INDEX_HTML_2012);
    expect(res.body.length).toBe(612);
    expect(res.headers!.Server).toBe('nginx/1.14.2');
    const nf = await c.http({ path: '/nope' });
    expect(nf.body).toBe('<html>\r\n<head><title>404 Not Found</title></head>\r\n<body bgcolor="white">\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.14.2</center>\r\n</body>\r\n</html>\r\n');
    expect(c.err.join('')).toBe(`${T} [error] 7#7: *2 open() "/usr/share/nginx/html/nope" failed (2: No such file or directory), client: 10.244.0.1, server: localhost, request: "GET /nope HTTP/1.1", host: "10.244.1.5"\n`);
    const ps = { out: '' };
    await c.proc.exec!(['ps', 'ax'], { stdout: (s) => (ps.out += s), stderr: () => {} });
    expect(ps.out).toMatch(/ {4}1 \?.*nginx: master process nginx -g daemon off;\n {4}7 \?.*nginx: worker process\n/);
    expect(ps.out).not.toMatch(/ {4}8 \?.*nginx/);
    c.proc.signal('SIGKILL');
  });

  it('1.7.9 is Debian jessie; -v prints the version; 1.29 alpine is Alpine 3.22', async () => {
    const c = boot('nginx:1.7.9');
    await settle();
    const run = async (argv: string[]) => {
      let s = '';
      await c.proc.exec!(argv, { stdout: (x) => (s += x), stderr: (x) => (s += x) });
      return s;
    };
    expect(await run(['cat', '/etc/debian_version'])).toBe('8\n');
    expect(await run(['nginx', '-v'])).toBe('nginx version: nginx/1.7.9\n');
    expect(await run(['nginx', '-t'])).toContain('syntax is ok');
    const dump = await run(['nginx', '-T']);
    expect(dump.match(/^# configuration file .*:$/gm)).toEqual(['# configuration file /etc/nginx/nginx.conf:', '# configuration file /etc/nginx/mime.types:', '# configuration file /etc/nginx/conf.d/default.conf:']);
    c.proc.signal('SIGKILL');
    const a = boot('nginx:alpine');
    await settle();
    let rel = '';
    await a.proc.exec!(['cat', '/etc/alpine-release'], { stdout: (x) => (rel += x), stderr: () => {} });
    expect(rel).toBe('3.22.2\n');
    a.proc.signal('SIGKILL');
  });

  it('the entrypoint leaves a mounted (read-only) default.conf alone and says so', async () => {
    const c = withConf('nginx:1.27', 'server { listen 80; location / { return 200 "hi\\n"; } }\n');
    await settle();
    expect(c.out.join('')).toContain('10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)\n');
    c.proc.signal('SIGKILL');
  });
});

describe('nginx reload', () => {
  it('nginx -s reload (SIGHUP) applies an edited default.conf: new listen sockets open, old ones close', async () => {
    const c = boot('nginx:1.27');
    await settle();
    let out = '';
    const code = await c.proc.exec!(['sh', '-c', "sed -i 's/listen       80;/listen       81;/; s/listen  \\[::\\]:80;/listen  [::]:81;/' /etc/nginx/conf.d/default.conf && nginx -s reload"], { stdout: (x) => (out += x), stderr: (x) => (out += x) });
    expect(code).toBe(0);
    expect(out).toBe(`${T} [notice] 1#1: signal process started\n`.replace('1#1', `${out.match(/\] (\d+)#/)?.[1]}#${out.match(/\] (\d+)#/)?.[1]}`));
    await settle();
    expect(c.proc.listeners!().map((l) => `${l.address}:${l.port}`).sort()).toEqual(['0.0.0.0:81', ':::81']);
    expect(c.err.join('')).toContain(`${T} [notice] 1#1: reconfiguring\n`);
    expect((await c.http({ path: '/' }, 81)).status).toBe(200);
    c.proc.signal('SIGKILL');
  });
});

describe('nginx serving from its configuration', () => {
  it('root, index, try_files, return, add_header, error_page, autoindex and 301 for directories', async () => {
    const conf = `server {
    listen 8080;
    server_name web;
    root /usr/share/nginx/html;
    add_header X-Served-By kubesim;
    location / { try_files $uri $uri/ /index.html; }
    location /files/ { autoindex on; }
    location = /healthz { default_type text/plain; return 200 "ok $host\\n"; }
    location /old { return 301 /new; }
    location /secret { deny all; }
    location /v1/ { rewrite ^/v1/(.*)$ /$1 last; }
    rewrite ^/legacy/(.*)$ /new/$1 permanent;
    error_page 404 /404.html;
}
`;
    const c = withConf('nginx:1.27', conf, { files: { '/index.html': '<h1>app</h1>\n', '/404.html': 'custom 404\n', '/files/a.txt': 'aaa', '/files/sub/b.txt': 'b' } });
    await settle();
    expect(c.proc.listeners!().map((l) => l.port)).toEqual([8080]);
    const h = (path: string, extra = {}) => c.http({ path, headers: { host: 'web:8080', 'user-agent': 'curl/8.5.0' }, ...extra }, 8080);
    const spa = await h('/some/route');
    expect([spa.status, spa.body, spa.headers!['X-Served-By']]).toEqual([200, '<h1>app</h1>\n', 'kubesim']);
    const hz = await h('/healthz');
    expect([hz.status, hz.body, hz.headers!['Content-Type']]).toEqual([200, 'ok web\n', 'text/plain']);
    const old = await h('/old');
    expect([old.status, old.headers!.Location]).toEqual([301, 'http://web:8080/new']);
    // try_files `$uri/` on a directory without an index: 403, as nginx (no redirect)
    expect((await h('/files')).status).toBe(403);
    const dir = await h('/files/sub');
    expect([dir.status, dir.headers!.Location]).toEqual([301, 'http://web:8080/files/sub/']);
    const listing = await h('/files/');
    expect(listing.body).toContain('<title>Index of /files/</title>');
    expect(listing.body).toContain('<a href="sub/">sub/</a>');
    expect(listing.body).toMatch(/<a href="a.txt">a.txt<\/a> +23-Nov-2026 09:00 +3\r\n/);
    const v1 = await h('/v1/healthz');
    expect([v1.status, v1.body]).toEqual([200, 'ok web\n']);
    const legacy = await h('/legacy/x?y=1');
    expect([legacy.status, legacy.headers!.Location]).toEqual([301, 'http://web:8080/new/x?y=1']);
    const denied = await h('/secret');
    expect(denied.status).toBe(403);
    expect(denied.headers!['X-Served-By']).toBeUndefined();
    expect(c.err.join('')).toContain('access forbidden by rule, client: 10.244.0.1, server: web, request: "GET /secret HTTP/1.1", host: "web:8080"');
    c.proc.signal('SIGKILL');
  });

  it('error_page serves the custom page with the original status; 405 for POST to a file; 400 for ..', async () => {
    const c = withConf('nginx:1.27', 'server { listen 80; root /usr/share/nginx/html; error_page 404 /404.html; }\n', { files: { '/404.html': 'custom 404\n', '/index.html': 'i\n' } });
    await settle();
    const nf = await c.http({ path: '/missing' });
    expect([nf.status, nf.body]).toEqual([404, 'custom 404\n']);
    const post = await c.http({ path: '/index.html', method: 'POST' });
    // nginx's own status line: `HTTP/1.1 405 Not Allowed`
    expect([post.status, post.reason]).toEqual([405, 'Not Allowed']);
    expect((await c.http({ path: '/../etc/passwd' })).status).toBe(400);
    c.proc.signal('SIGKILL');
  });

  it('a broken configuration stops nginx at start with [emerg] on stderr and exit 1', async () => {
    const c = withConf('nginx:1.27', 'server {\n    listen 80;\n    location / {\n        root /x;\n    }\n');
    expect(await c.exit()).toEqual({ exitCode: 1, reason: 'Error' });
    expect(c.err.join('')).toBe(`${T} [emerg] 1#1: unexpected end of file, expecting "}" in /etc/nginx/conf.d/default.conf:6\nnginx: [emerg] unexpected end of file, expecting "}" in /etc/nginx/conf.d/default.conf:6\n`);
  });

  it('a misspelt directive: unknown directive, exit 1', async () => {
    const c = withConf('nginx:1.27', 'server {\n    listen 80;\n    location / {\n        proxy_pas http://x;\n    }\n}\n');
    expect((await c.exit()).exitCode).toBe(1);
    expect(c.err.join('')).toContain('nginx: [emerg] unknown directive "proxy_pas" in /etc/nginx/conf.d/default.conf:4\n');
  });

  it('an unresolvable static upstream: host not found in upstream, exit 1 (as nginx resolves at start)', async () => {
    const c = withConf('nginx:1.27', 'server {\n    listen 80;\n    location / {\n        proxy_pass http://backend:8080;\n    }\n}\n', {
      dnsClient: { lookup: async () => undefined, reverse: async () => undefined },
    });
    expect((await c.exit()).exitCode).toBe(1);
    expect(c.err.join('')).toContain('nginx: [emerg] host not found in upstream "backend:8080" in /etc/nginx/conf.d/default.conf:4\n');
  });
});

describe('nginx proxy_pass over the cluster network', () => {
  const backendConf = (prefix: string) => `server { listen 8080; location / { return 200 "backend saw $request_uri host=$http_host xff=$http_x_forwarded_for\\n"; } }\n`.replace('location /', `location ${prefix}`);

  it('passes the URI unchanged without a URI part, replaces the location prefix with one, sets headers, drops upstream Server/Date', async () => {
    const { fabric, pod } = network();
    const backend = withConf('nginx:1.27', backendConf('/'), { net: pod('10.244.1.3', 'backend') });
    const front = withConf(
      'nginx:1.27',
      `server {
    listen 80;
    location /api/ {
        proxy_pass http://10.244.1.3:8080/v1/;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
    location / {
        proxy_pass http://10.244.1.3:8080;
    }
}
`,
      { net: pod('10.244.1.2', 'front') },
    );
    await until(() => (front.proc.listeners?.() ?? []).length > 0 && (backend.proc.listeners?.() ?? []).length > 0);
    const a = await front.http({ path: '/api/users?x=1' });
    expect(a.status).toBe(200);
    expect(a.body).toBe('backend saw /v1/users?x=1 host=10.244.1.3:8080 xff=10.244.0.1\n');
    expect(a.headers!.Server).toBe('nginx/1.27.5');
    const b = await front.http({ path: '/plain/path' });
    expect(b.body).toBe('backend saw /plain/path host=10.244.1.3:8080 xff=-\n'.replace('xff=-', 'xff='));
    // and over a real HTTP connection from a node to the front pod
    const wire = await wireGet(fabric, '10.244.1.2', 80, '/api/x');
    expect(wire.status).toBe(200);
    expect(wire.headers.server).toBe('nginx/1.27.5');
    expect(wire.body).toBe('backend saw /v1/x host=10.244.1.3:8080 xff=10.0.0.1\n');
    for (const c of [front, backend]) c.proc.signal('SIGKILL');
  });

  it('502 with nginx\'s page and the connect() failed error line when nothing listens upstream', async () => {
    const { pod } = network();
    pod('10.244.1.9', 'idle');
    const front = withConf('nginx:1.27', 'server {\n    listen 80;\n    server_name localhost;\n    location / {\n        proxy_pass http://10.244.1.9:8080;\n    }\n}\n', { net: pod('10.244.1.2', 'front') });
    await until(() => (front.proc.listeners?.() ?? []).length > 0);
    const res = await front.http({ path: '/x' });
    expect(res.status).toBe(502);
    expect(res.body).toContain('<center><h1>502 Bad Gateway</h1></center>');
    expect(front.err.join('')).toContain(
      `[error] 29#29: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.244.0.1, server: localhost, request: "GET /x HTTP/1.1", upstream: "http://10.244.1.9:8080/x", host: "10.244.1.5"\n`,
    );
    expect(front.out[front.out.length - 1]).toContain('"GET /x HTTP/1.1" 502 157 ');
    front.proc.signal('SIGKILL');
  });
});

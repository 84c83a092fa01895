import { describe, expect, it } from 'vitest';
import { createEmptyDir } from '../../../../src-main/runtime';
import { ContainerFs, ImageTree } from '../../../../src-main/runtime/vfs';
import { loadConf, loadHttpConfig, mimeTypes } from '../../../../src-main/runtime/images/nginx-conf';
import { MIME_TYPES, defaultConf, nginxConf } from '../../../../src-main/runtime/images/nginx-files';
import { boot, settle } from './helpers';

const IMAGE = new ImageTree({
  '/etc/nginx/nginx.conf': nginxConf('1.29.3', false),
  '/etc/nginx/conf.d/default.conf': defaultConf('1.29.3'),
  '/etc/nginx/mime.types': MIME_TYPES,
});

describe('nginx configuration shared between containers', () => {
  it('containers with the same files share one frozen configuration; a changed file gets its own', () => {
    const a = new ContainerFs(IMAGE);
    const b = new ContainerFs(IMAGE);
    const confA = loadHttpConfig(a);
    expect(loadHttpConfig(b)).toBe(confA);
    expect(mimeTypes(b)).toBe(confA.types);
    expect(confA.types.get('css')).toBe('text/css');
    expect(Object.isFrozen(confA.main)).toBe(true);
    expect(Object.isFrozen(confA.servers[0]!)).toBe(true);
    expect(Object.isFrozen(confA.servers[0]!.locations[0]!.d)).toBe(true);
    expect(() => (confA.main as unknown as unknown[]).push({ name: 'x' })).toThrow(TypeError);

    // the entrypoint's edit in one container only
    b.writeFile('/etc/nginx/conf.d/default.conf', defaultConf('1.29.3').replace('listen       80;', 'listen       80;\n    listen  [::]:80;'));
    const confB = loadHttpConfig(b);
    expect(confB).not.toBe(confA);
    expect(confB.servers[0]!.listens.map((l) => `${l.address} ${l.port}`)).toEqual(['0.0.0.0 80', ':: 80']);
    expect(loadHttpConfig(a).servers[0]!.listens.map((l) => `${l.address} ${l.port}`)).toEqual(['0.0.0.0 80']);
    // the same edit elsewhere finds the second configuration
    const c = new ContainerFs(IMAGE);
    c.writeFile('/etc/nginx/conf.d/default.conf', b.readFile('/etc/nginx/conf.d/default.conf'));
    expect(loadHttpConfig(c)).toBe(confB);
  });

  it('the include expansion follows the files: an added conf.d file, a removed one, the same text under another name', () => {
    const fs = new ContainerFs(IMAGE);
    const before = loadConf(fs);
    fs.writeFile('/etc/nginx/conf.d/extra.conf', 'server { listen 8080; }\n');
    const withExtra = loadHttpConfig(fs);
    expect(withExtra.servers.map((s) => s.listens[0]!.port)).toEqual([80, 8080]);
    // the same text as another file: directives carry their own file name (error texts, nginx -T)
    const other = new ContainerFs(IMAGE);
    other.writeFile('/etc/nginx/conf.d/zz.conf', 'server { listen 8080; }\n');
    const otherConf = loadHttpConfig(other);
    expect(otherConf).not.toBe(withExtra);
    expect(otherConf.servers[1]!.d[0]!.file).toBe('/etc/nginx/conf.d/zz.conf');
    expect(withExtra.servers[1]!.d[0]!.file).toBe('/etc/nginx/conf.d/extra.conf');
    fs.remove('/etc/nginx/conf.d/extra.conf');
    expect(loadConf(fs)).toBe(before);
  });

  it('errors are not cached: a broken file fails every time, its repair loads', () => {
    const fs = new ContainerFs(IMAGE);
    fs.writeFile('/etc/nginx/conf.d/bad.conf', 'server { listen 80; proxy_pas http://x; }\n');
    expect(() => loadHttpConfig(fs)).toThrow('unknown directive "proxy_pas" in /etc/nginx/conf.d/bad.conf:1');
    expect(() => loadHttpConfig(fs)).toThrow('unknown directive "proxy_pas" in /etc/nginx/conf.d/bad.conf:1');
    fs.writeFile('/etc/nginx/conf.d/bad.conf', 'server { listen 81; }\n');
    // conf.d/*.conf in name order, as nginx's glob gives them
    expect(loadHttpConfig(fs).servers.map((s) => s.listens[0]!.port)).toEqual([81, 80]);
  });

  it('a mounted volume with a huge file (not cached) still loads', () => {
    const fs = new ContainerFs(IMAGE);
    const confd = createEmptyDir();
    confd.writeFile('/default.conf', `${'# padding\n'.repeat(30_000)}server { listen 9090; }\n`);
    fs.mount('/etc/nginx/conf.d', confd);
    expect(loadHttpConfig(fs).servers.map((s) => s.listens[0]!.port)).toEqual([9090]);
    expect(loadHttpConfig(fs).servers[0]!.d[0]!.line).toBe(30_001);
  });
});

describe('nginx answers from the configuration it runs with', () => {
  it('a request before and after a reload that changes the answer (handlers are rebuilt per configuration)', async () => {
    const c = boot('nginx:1.27');
    await settle();
    expect((await c.http({ path: '/' })).body).toContain('Welcome to nginx!');
    const code = await c.proc.exec!(['sh', '-c', "sed -i 's#index  index.html index.htm;#return 200 changed;#' /etc/nginx/conf.d/default.conf && nginx -s reload"], {
      stdout: () => {},
      stderr: () => {},
    });
    expect(code).toBe(0);
    await settle();
    const res = await c.http({ path: '/' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('changed');
    // a second container of the image still serves the welcome page
    const d = boot('nginx:1.27');
    await settle();
    expect((await d.http({ path: '/' })).body).toContain('Welcome to nginx!');
    c.proc.signal('SIGKILL');
    d.proc.signal('SIGKILL');
  });
});

import { describe, expect, it } from 'vitest';
import { createEmptyDir } from '../../../../src-main/runtime';
import { httpConfig, parseConf } from '../../../../src-main/runtime/images/nginx-conf';
import { boot, network, until, wireGet } from './helpers';

const listens = (server: string) => httpConfig(parseConf(`http { server { ${server} } }`, '/etc/nginx/nginx.conf'), new Map()).servers[0]!.listens;

describe('nginx listen [::] (ipv6only)', () => {
  it('[::]:port is IPV6_V6ONLY by default (nginx ipv6only=on); ipv6only=off keeps it dual-stack', () => {
    expect(listens('listen 80; listen [::]:80;')).toEqual([
      { address: '0.0.0.0', port: 80, defaultServer: false },
      { address: '::', port: 80, defaultServer: false, ipv6Only: true },
    ]);
    expect(listens('listen [::]:8080 default_server ipv6only=off;')).toEqual([{ address: '::', port: 8080, defaultServer: true }]);
    expect(listens('listen [::]:81 ipv6only=on;')[0]!.ipv6Only).toBe(true);
    expect(listens('listen [::1]:82;')[0]!.ipv6Only).toBeUndefined();
  });
});

describe('nginx listen [::] over the pod network', () => {
  const serve = (listen: string, net: ReturnType<ReturnType<typeof network>['pod']>) => {
    const confd = createEmptyDir();
    confd.writeFile('/default.conf', `server { ${listen} location / { return 200 "hi\\n"; } }\n`);
    return boot('nginx:1.27', { mounts: [{ mountPath: '/etc/nginx/conf.d', fs: confd, readOnly: true }], net });
  };

  it('a lone `listen [::]:80` refuses IPv4 (connection refused) and answers ::1; `ipv6only=off` answers IPv4', async () => {
    const { fabric, pod } = network();
    const v6net = pod('10.244.1.2', 'v6');
    const v6 = serve('listen [::]:80;', v6net);
    const dual = serve('listen [::]:80 ipv6only=off;', pod('10.244.1.3', 'dual'));
    await until(() => (v6.proc.listeners?.() ?? []).length > 0 && (dual.proc.listeners?.() ?? []).length > 0);
    await expect(wireGet(fabric, '10.244.1.2', 80, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const local = await v6net.connect('::1', 80);
    local.socket.destroy();
    expect((await wireGet(fabric, '10.244.1.3', 80, '/')).body).toBe('hi\n');
    for (const c of [v6, dual]) c.proc.signal('SIGKILL');
  });

  it('the packaged default.conf (listen 80 + the entrypoint\'s listen [::]:80) still answers IPv4', async () => {
    const { fabric, pod } = network();
    const c = boot('nginx:1.27', { net: pod('10.244.1.4', 'web') });
    await until(() => (c.proc.listeners?.() ?? []).length === 2);
    expect((await wireGet(fabric, '10.244.1.4', 80, '/')).status).toBe(200);
    c.proc.signal('SIGKILL');
  });
});

import { describe, expect, it } from 'vitest';
import { httpConfig, parseConf } from '../../../../src-main/runtime/images/nginx-conf';

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

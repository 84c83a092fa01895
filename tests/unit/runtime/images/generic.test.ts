import { describe, expect, it } from 'vitest';
import { boot, settle } from './helpers';

describe('generic stand-in for images not in the catalog', () => {
  it('says which image it stands in for, in text and JSON, and logs the requests', async () => {
    const c = boot('acme/shop:1.2', { ports: [{ containerPort: 8080 }, { containerPort: 8080 }, { containerPort: 9090 }], hostname: 'shop-1' });
    await settle();
    expect(c.out.join('')).toBe(
      'kubesim: image "docker.io/acme/shop:1.2" is not in the simulated image catalog; running a generic placeholder program\n' +
        'kubesim: generic responder for "docker.io/acme/shop:1.2" answering HTTP on port 8080\n' +
        'kubesim: generic responder for "docker.io/acme/shop:1.2" answering HTTP on port 9090\n',
    );
    const text = await c.http({ path: '/x' }, 9090);
    expect(text.body).toBe('kubesim generic responder\nimage: docker.io/acme/shop:1.2\nhostname: shop-1\nport: 9090\nrequest: GET /x\n');
    expect(text.headers!['X-Kubesim-Generic-Image']).toBe('docker.io/acme/shop:1.2');
    const json = await c.http({ path: '/api', headers: { accept: 'application/json' } }, 8080);
    expect(json.headers!['Content-Type']).toBe('application/json');
    expect(JSON.parse(json.body)).toEqual({
      message: 'kubesim has no simulation for image "docker.io/acme/shop:1.2"; this generic responder stands in for it',
      image: 'docker.io/acme/shop:1.2',
      hostname: 'shop-1',
      port: 8080,
      request: { method: 'GET', path: '/api' },
    });
    expect(c.out[c.out.length - 1]).toBe('2026-11-23T10:00:00Z kubesim generic responder: GET /api from 10.244.0.1 on port 8080\n');
    c.proc.signal('SIGKILL');
  });
});

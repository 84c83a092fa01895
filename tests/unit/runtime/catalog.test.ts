import { describe, expect, it } from 'vitest';
import { parseReference } from '../../../src-main/runtime/reference';
import { createContainerRuntime } from '../../../src-main/runtime';

const rt = createContainerRuntime();

describe('image reference normalisation', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['luksa/kubia:1.0', 'docker.io/luksa/kubia:1.0'],
    ['docker.io/library/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/library/redis:7', 'docker.io/library/redis:7'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['gcr.io/google-samples/hello-app:1.0', 'gcr.io/google-samples/hello-app:1.0'],
    [`nginx@sha256:${'a'.repeat(64)}`, `docker.io/library/nginx@sha256:${'a'.repeat(64)}`],
    [`nginx:1.27@sha256:${'b'.repeat(64)}`, `docker.io/library/nginx:1.27@sha256:${'b'.repeat(64)}`],
  ])('%s → %s', (input, normalized) => {
    const r = parseReference(input);
    expect(r.ok && r.ref.normalized).toBe(normalized);
  });

  it.each([
    ['Nginx', 'invalid reference format: repository name must be lowercase'],
    ['nginx:', 'invalid reference format'],
    ['nginx@sha256:123', 'invalid reference format'],
    ['-nginx', 'invalid reference format'],
    ['', 'invalid reference format'],
  ])('rejects %j', (input, reason) => {
    expect(parseReference(input)).toEqual({ ok: false, reason });
  });
});

describe('catalog lookup', () => {
  it('answers with the image config of the tag', () => {
    const r = rt.lookup('nginx');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.image).toMatchObject({
      requested: 'nginx',
      ref: 'docker.io/library/nginx:latest',
      entrypoint: ['/docker-entrypoint.sh'],
      cmd: ['nginx', '-g', 'daemon off;'],
      workingDir: '',
      exposedPorts: ['80/tcp'],
    });
    expect(r.image.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(r.image.env).toContain('NGINX_VERSION=1.29.3');
    expect(r.image.generic).toBeUndefined();
  });

  it('gives aliases of one image the same digest, and other tags other digests', () => {
    const id = (ref: string) => {
      const r = rt.lookup(ref);
      return r.ok ? r.image.imageID : r.message;
    };
    expect(id('busybox')).toBe(id('busybox:1.37'));
    expect(id('busybox:1')).toBe(id('docker.io/library/busybox:1.37.0'));
    expect(id('busybox:1.36')).not.toBe(id('busybox:1.37'));
    // stable across runtimes (a fresh catalog computes the same digest)
    const again = createContainerRuntime().lookup('busybox:1.36');
    expect(again.ok && again.image.imageID).toBe(id('busybox:1.36'));
  });

  it('pulls by digest', () => {
    const byTag = rt.lookup('redis:7.2');
    if (!byTag.ok) throw new Error(byTag.message);
    const digest = byTag.image.imageID.split('@')[1]!;
    const byDigest = rt.lookup(`redis@${digest}`);
    expect(byDigest.ok && byDigest.image.imageID).toBe(byTag.image.imageID);
    expect(byDigest.ok && byDigest.image.ref).toBe(`docker.io/library/redis@${digest}`);
  });

  it('an unknown tag of a catalog image is containerd\'s NotFound', () => {
    expect(rt.lookup('nginx:nope')).toEqual({
      ok: false,
      message:
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:nope": failed to resolve reference "docker.io/library/nginx:nope": docker.io/library/nginx:nope: not found',
    });
    const d = `sha256:${'0'.repeat(64)}`;
    expect(rt.lookup(`busybox@${d}`)).toEqual({
      ok: false,
      message: `rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/busybox@${d}": failed to resolve reference "docker.io/library/busybox@${d}": docker.io/library/busybox@${d}: not found`,
    });
  });

  it('an unparseable name is an InvalidImageName', () => {
    expect(rt.lookup('Nginx')).toEqual({
      ok: false,
      invalidName: true,
      message: 'couldn\'t parse image name "Nginx": invalid reference format: repository name must be lowercase',
    });
  });

  it('an image outside the catalog is generic (a placeholder that keeps running)', () => {
    const r = rt.lookup('myorg/api:2.1');
    expect(r.ok && r.image).toMatchObject({ ref: 'docker.io/myorg/api:2.1', generic: true, entrypoint: [], cmd: [] });
    const again = rt.lookup('myorg/api:2.1');
    expect(again.ok && again.image.imageID).toBe(r.ok && r.image.imageID);
  });

  it('the book and tutorial images are there with their tags', () => {
    for (const ref of ['busybox:1.28', 'busybox:1.36.1', 'alpine:3.20', 'ubuntu:24.04', 'debian:bookworm', 'nginx:1.27.5', 'nginx:alpine', 'redis:7.2', 'redis:6.2-alpine', 'luksa/kubia', 'luksa/kubia:1.0', 'luksa/kubia:2.0', 'luksa/kubia:3.0', 'luksa/kubia:unhealthy', 'luksa/kubia-unhealthy', 'polinux/stress']) {
      const r = rt.lookup(ref);
      expect(r.ok && !r.image.generic, ref).toBe(true);
    }
  });

  it('pull time grows with the image size', () => {
    const small = rt.lookup('busybox');
    const big = rt.lookup('luksa/kubia');
    if (!small.ok || !big.ok) throw new Error('lookup');
    expect(rt.pullDurationMs(small.image)).toBe(354);
    expect(rt.pullDurationMs(big.image)).toBe(6573);
  });
});

import { describe, expect, it } from 'vitest';
import { dns1123LabelError, envVarNameError, portNumberError, portRef, portRefError, quantityError, splitWords, wholeNumberError } from '../../../../src-renderer/features/wizards/validation';
import { buildProbe, emptyProbe } from '../../../../src-renderer/features/wizards/probe';
import { findCatalogImage, IMAGE_CATALOG, repositoryOf } from '../../../../src-renderer/features/wizards/image-catalog';

describe('dns1123LabelError', () => {
  it('accepts labels and refuses the rest with the API server text', () => {
    for (const ok of ['web', 'a', 'my-app-2', '1abc', 'x'.repeat(63)]) expect(dns1123LabelError(ok), ok).toBeUndefined();
    expect(dns1123LabelError('')).toBe('Required value');
    expect(dns1123LabelError('x'.repeat(64))).toBe('must be no more than 63 characters');
    for (const bad of ['Web', 'my_app', '-a', 'a-', 'a.b', 'a b']) expect(dns1123LabelError(bad), bad).toMatch(/^a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'/);
  });
});

describe('field checks', () => {
  it('env var names', () => {
    expect(envVarNameError('MY_VAR.x-1')).toBeUndefined();
    expect(envVarNameError('9lives')).toMatch(/must not start with a digit/);
    expect(envVarNameError('a b')).toMatch(/valid environment variable name/);
  });
  it('ports and port references', () => {
    expect(portNumberError('80')).toBeUndefined();
    expect(portNumberError('0')).toBe('must be between 1 and 65535, inclusive');
    expect(portNumberError('8o')).toBe('must be a number');
    expect(portRefError('http')).toBeUndefined();
    expect(portRefError('web_port')).toMatch(/IANA_SVC_NAME/);
    expect(portRef('8080')).toBe(8080);
    expect(portRef('http')).toBe('http');
  });
  it('whole numbers and quantities', () => {
    expect(wholeNumberError('', 0, true)).toBeUndefined();
    expect(wholeNumberError('', 0)).toBe('Required value');
    expect(wholeNumberError('1.5', 0)).toBe('must be a whole number');
    for (const q of ['100m', '0.5', '128Mi', '1G', '2']) expect(quantityError(q), q).toBeUndefined();
    expect(quantityError('1 GB')).toMatch(/quantities must match/);
  });
  it('splits command lines like a shell', () => {
    expect(splitWords(`sh -c 'while true; do echo "hi"; sleep 1; done'`)).toEqual(['sh', '-c', 'while true; do echo "hi"; sleep 1; done']);
    expect(splitWords(`echo "a \\"b\\"" c\\ d ''`)).toEqual(['echo', 'a "b"', 'c d', '']);
    expect(splitWords('   ')).toEqual([]);
  });
});

describe('buildProbe', () => {
  it('builds HTTP, TCP and exec probes', () => {
    expect(buildProbe(emptyProbe())).toBeUndefined();
    expect(buildProbe({ ...emptyProbe(), kind: 'http', path: '', port: 'http' })).toEqual({ httpGet: { path: '/', port: 'http' } });
    expect(buildProbe({ ...emptyProbe(), kind: 'tcp', periodSeconds: '3' }, 6379)).toEqual({ tcpSocket: { port: 6379 }, periodSeconds: 3 });
    expect(buildProbe({ ...emptyProbe(), kind: 'exec', command: 'cat /tmp/healthy', initialDelaySeconds: '5' })).toEqual({ exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5 });
  });
});

describe('image catalog', () => {
  it('holds the simulated images with their ports, found by repository too', () => {
    expect(findCatalogImage('nginx:1.25')?.port).toBe(80);
    expect(findCatalogImage('nginx:latest')?.image).toBe('nginx:1.25');
    expect(findCatalogImage('luksa/kubia:1.0')?.port).toBe(8080);
    expect(findCatalogImage('gcr.io/google-samples/kubernetes-bootcamp:v2')?.port).toBe(8080);
    expect(findCatalogImage('acme/unknown:1')).toBeUndefined();
    expect(repositoryOf('localhost:5000/app')).toBe('localhost:5000/app');
    expect(new Set(IMAGE_CATALOG.map((c) => c.image)).size).toBe(IMAGE_CATALOG.length);
    for (const c of IMAGE_CATALOG) expect(c.port !== undefined || c.command !== undefined, c.image).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { parseRequestInfo } from '../../../src-main/apiserver/request-info';

const q = (s = '') => new URLSearchParams(s);

describe('parseRequestInfo', () => {
  it('reads a namespaced item with a subresource', () => {
    expect(parseRequestInfo('PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', q())).toMatchObject({
      isResource: true,
      group: 'apps',
      version: 'v1',
      namespace: 'default',
      resource: 'deployments',
      name: 'web',
      subresource: 'scale',
      verb: 'update',
    });
  });
  it('treats /api/v1/namespaces/{name} as the Namespace object', () => {
    expect(parseRequestInfo('GET', '/api/v1/namespaces/kube-system', q())).toMatchObject({ resource: 'namespaces', name: 'kube-system', namespace: '', verb: 'get' });
    expect(parseRequestInfo('PUT', '/api/v1/namespaces/x/finalize', q())).toMatchObject({ resource: 'namespaces', name: 'x', subresource: 'finalize' });
  });
  it('maps methods and watch to verbs', () => {
    expect(parseRequestInfo('GET', '/api/v1/pods', q())).toMatchObject({ verb: 'list', namespace: '' });
    expect(parseRequestInfo('GET', '/api/v1/pods', q('watch=true'))).toMatchObject({ verb: 'watch' });
    expect(parseRequestInfo('GET', '/api/v1/watch/namespaces/a/pods/p', q())).toMatchObject({ verb: 'watch', name: 'p', legacyWatch: true });
    expect(parseRequestInfo('DELETE', '/api/v1/namespaces/a/pods', q())).toMatchObject({ verb: 'deletecollection' });
    expect(parseRequestInfo('DELETE', '/api/v1/namespaces/a/pods/p', q())).toMatchObject({ verb: 'delete' });
    expect(parseRequestInfo('PATCH', '/api/v1/nodes/n/status', q())).toMatchObject({ verb: 'patch', subresource: 'status' });
  });
  it('leaves discovery and health as non-resource paths', () => {
    for (const p of ['/api', '/apis', '/api/v1', '/apis/apps', '/apis/apps/v1', '/healthz', '/openapi/v3/apis/apps/v1']) {
      expect(parseRequestInfo('GET', p, q()).isResource).toBe(false);
    }
  });
});

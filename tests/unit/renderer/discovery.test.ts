/**
 * Discovery in the browser (api/discovery.ts) over scripted answers: the aggregated documents
 * (two requests) with the preferred version first and subresources left out, and the per-group
 * APIResourceLists when the server has no aggregated discovery.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { discover } from '../../../src-renderer/api/discovery';

function serve(routes: Record<string, (accept: string) => unknown>): string[] {
  const asked: string[] = [];
  vi.stubGlobal('fetch', (input: string, init?: RequestInit) => {
    const accept = (init?.headers as Record<string, string> | undefined)?.accept ?? '';
    asked.push(`${input} ${accept.includes('APIGroupDiscoveryList') ? 'aggregated' : 'json'}`);
    const route = routes[input] as ((accept: string) => unknown) | undefined;
    const body = route ? route(accept) : { kind: 'Status', code: 404, message: 'not found' };
    return Promise.resolve(new Response(JSON.stringify(body), { status: route ? 200 : 404 }));
  });
  return asked;
}

afterEach(() => vi.unstubAllGlobals());

describe('discover', () => {
  it('reads the aggregated documents: preferred versions, scope, verbs, no subresources', async () => {
    const asked = serve({
      '/api': () => ({
        kind: 'APIGroupDiscoveryList',
        items: [{ metadata: {}, versions: [{ version: 'v1', resources: [{ resource: 'pods', responseKind: { kind: 'Pod' }, scope: 'Namespaced', verbs: ['list', 'watch'], subresources: [{ subresource: 'log' }] }, { resource: 'nodes', responseKind: { kind: 'Node' }, scope: 'Cluster', verbs: ['list'] }] }] }],
      }),
      '/apis': () => ({
        kind: 'APIGroupDiscoveryList',
        items: [{ metadata: { name: 'autoscaling' }, versions: [{ version: 'v2', resources: [{ resource: 'horizontalpodautoscalers', responseKind: { kind: 'HorizontalPodAutoscaler' }, scope: 'Namespaced', verbs: ['list', 'watch'] }] }, { version: 'v1', resources: [{ resource: 'horizontalpodautoscalers', scope: 'Namespaced', verbs: ['list'] }] }] }],
      }),
    });
    const r = await discover();
    expect(asked).toEqual(['/api aggregated', '/apis aggregated']);
    expect(r).toEqual([
      { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, verbs: ['list', 'watch'], shortNames: undefined },
      { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, verbs: ['list'], shortNames: undefined },
      { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, verbs: ['list', 'watch'], shortNames: undefined },
    ]);
  });

  it('falls back to APIVersions, APIGroupList and APIResourceLists', async () => {
    const asked = serve({
      '/api': () => ({ kind: 'APIVersions', versions: ['v1'] }),
      '/apis': () => ({ kind: 'APIGroupList', groups: [{ name: 'apps', preferredVersion: { version: 'v1' }, versions: [{ version: 'v1' }] }] }),
      '/api/v1': () => ({ kind: 'APIResourceList', resources: [{ name: 'pods', kind: 'Pod', namespaced: true, verbs: ['list'] }, { name: 'pods/log', kind: 'Pod', namespaced: true, verbs: ['get'] }] }),
      '/apis/apps/v1': () => ({ kind: 'APIResourceList', resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['list', 'watch'], shortNames: ['deploy'] }] }),
    });
    const r = await discover();
    expect(r.map((x) => `${x.group}/${x.version}/${x.resource}`)).toEqual(['/v1/pods', 'apps/v1/deployments']);
    expect(r[1].shortNames).toEqual(['deploy']);
    expect(asked).toContain('/apis/apps/v1 json');
  });
});

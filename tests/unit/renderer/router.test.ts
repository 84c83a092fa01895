import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router';
import { collectRoutes } from '../../../src-renderer/router/collect';
import { DETAILS_PATH, LIST_PATH, apiGroup, collectionPath, detailsRoute, listRoute, objectPath } from '../../../src-renderer/util/paths';

const C = { render: () => null };

describe('route modules', () => {
  it('merges every routes-*.ts module in file order', () => {
    const a: RouteRecordRaw = { path: '/a', component: C };
    const b: RouteRecordRaw = { path: '/b', component: C };
    expect(collectRoutes({ './routes-streams.ts': { routes: [b] }, './routes-resources.ts': { routes: [a] }, './routes-empty.ts': {} })).toEqual([a, b]);
  });
  it('finds routes-resources.ts through the same glob the router uses', () => {
    // Vite's import.meta.glob (transformed by vitest); the Node tsconfig has no vite/client types.
    // @ts-expect-error -- ImportMeta.glob is declared by vite/client only
    const files = Object.keys(import.meta.glob('../../../src-renderer/router/routes-*.ts') as Record<string, unknown>);
    expect(files.some((f) => f.endsWith('/routes-resources.ts'))).toBe(true);
  });
});

describe('resource routes and API paths', () => {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: LIST_PATH, name: 'list', component: C },
      { path: DETAILS_PATH, name: 'details', component: C },
    ],
  });
  const pods = { group: '', version: 'v1', resource: 'pods' };
  const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };
  const nodes = { group: '', version: 'v1', resource: 'nodes' };

  it('round-trips list and details routes, namespaced or not', () => {
    expect(router.resolve(listRoute(deployments))).toMatchObject({ name: 'list', params: { group: 'apps', version: 'v1', resource: 'deployments' } });
    expect(router.resolve(detailsRoute(pods, 'shop', 'web-1'))).toMatchObject({ name: 'details', params: { group: 'core', namespace: 'shop', name: 'web-1' } });
    const node = router.resolve(detailsRoute(nodes, undefined, 'kubesim-worker'));
    expect(node.name).toBe('details');
    expect(node.params.name).toBe('kubesim-worker');
    expect(node.params.namespace ?? '').toBe('');
    expect(apiGroup(String(node.params.group))).toBe('');
  });
  it('builds the API paths', () => {
    expect(collectionPath(pods)).toBe('/api/v1/pods');
    expect(collectionPath(pods, 'shop')).toBe('/api/v1/namespaces/shop/pods');
    expect(collectionPath(deployments, 'shop')).toBe('/apis/apps/v1/namespaces/shop/deployments');
    expect(objectPath(nodes, undefined, 'n1')).toBe('/api/v1/nodes/n1');
  });
});

/**
 * API discovery: `/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`, and the aggregated
 * documents (apidiscovery.k8s.io v2 and v2beta1) that kubectl ≥1.26 asks for first.
 */
import type { Registry } from '../api/registry';
import type { ResourceDef } from '../api/resource';
import { servedVerbs } from '../api/resource';

function gv(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** Verbs a subresource supports, as upstream lists them. */
function subresourceVerbs(sub: string): string[] {
  switch (sub) {
    case 'status':
    case 'scale':
      return ['get', 'patch', 'update'];
    case 'binding':
    case 'eviction':
      return ['create'];
    case 'log':
      return ['get'];
    case 'exec':
    case 'attach':
    case 'portforward':
      return ['create', 'get'];
    case 'proxy':
      return ['create', 'delete', 'get', 'patch', 'update'];
    case 'finalize':
      return ['update'];
    default:
      return ['get'];
  }
}

/** Kind a subresource's requests and responses carry. */
function subresourceKind(def: ResourceDef, sub: string): { group: string; version: string; kind: string } {
  switch (sub) {
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    case 'binding':
      return { group: '', version: 'v1', kind: 'Binding' };
    case 'eviction':
      return { group: 'policy', version: 'v1', kind: 'Eviction' };
    case 'exec':
      return { group: '', version: 'v1', kind: 'PodExecOptions' };
    case 'attach':
      return { group: '', version: 'v1', kind: 'PodAttachOptions' };
    case 'portforward':
      return { group: '', version: 'v1', kind: 'PodPortForwardOptions' };
    case 'log':
      return { group: '', version: 'v1', kind: 'Pod' };
    case 'proxy':
      return { group: '', version: 'v1', kind: def.kind === 'Pod' ? 'PodProxyOptions' : def.kind === 'Node' ? 'NodeProxyOptions' : 'ServiceProxyOptions' };
    default:
      return { group: def.group, version: def.version, kind: def.kind };
  }
}

export function apiVersions(): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
  };
}

/** `extraGroups`: groups served outside the registry (metrics.k8s.io), listed after the registry's. */
export function apiGroupList(reg: Registry, extraGroups: Record<string, unknown>[] = []): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [
      ...reg
        .groups()
        .filter((g) => g !== '')
        .map((g) => apiGroup(reg, g)),
      ...extraGroups,
    ],
  };
}

export function apiGroup(reg: Registry, group: string): Record<string, unknown> {
  const versions = reg.versions(group);
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions: versions.map((v) => ({ groupVersion: gv(group, v), version: v })),
    preferredVersion: { groupVersion: gv(group, versions[0]), version: versions[0] },
  };
}

export function apiResourceList(reg: Registry, group: string, version: string): unknown | undefined {
  const defs = reg.inGroupVersion(group, version);
  if (defs.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const d of [...defs].sort((a, b) => a.plural.localeCompare(b.plural))) {
    const r: Record<string, unknown> = {
      name: d.plural,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: servedVerbs(d),
    };
    if (d.shortNames?.length) r.shortNames = d.shortNames;
    if (d.categories?.length) r.categories = d.categories;
    r.storageVersionHash = storageVersionHash(d);
    resources.push(r);
    for (const sub of d.subresources ?? []) {
      const k = subresourceKind(d, sub);
      const s: Record<string, unknown> = { name: `${d.plural}/${sub}`, singularName: '', namespaced: d.namespaced, kind: k.kind, verbs: subresourceVerbs(sub) };
      if (k.group !== group || k.version !== version) {
        if (k.group) s.group = k.group;
        s.version = k.version;
      }
      resources.push(s);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv(group, version), resources };
}

/** A stable 8-byte hash in base64 like upstream's storageVersionHash. */
function storageVersionHash(d: ResourceDef): string {
  let h = 2166136261;
  const s = `${d.group}/${d.version}/${d.kind}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  const b = Buffer.alloc(8);
  b.writeUInt32BE(h, 0);
  b.writeUInt32BE(Math.imul(h ^ 0x5bd1e995, 2654435761) >>> 0, 4);
  return b.toString('base64');
}

/**
 * Aggregated discovery for `/api` (core) or `/apis` (groups): APIGroupDiscoveryList. `extraItems`:
 * groups served outside the registry (metrics.k8s.io), appended for `/apis`.
 */
export function aggregatedDiscovery(reg: Registry, legacy: boolean, apiVersion: 'v2' | 'v2beta1', extraItems: Record<string, unknown>[] = []): unknown {
  const groups = reg.groups().filter((g) => (legacy ? g === '' : g !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${apiVersion}`,
    metadata: {},
    items: [...groups.map((g) => ({
      metadata: g ? { name: g, creationTimestamp: null } : { creationTimestamp: null },
      versions: reg.versions(g).map((v) => ({
        version: v,
        resources: [...reg.inGroupVersion(g, v)]
          .sort((a, b) => a.plural.localeCompare(b.plural))
          .map((d) => {
            const r: Record<string, unknown> = {
              resource: d.plural,
              responseKind: { group: d.group, version: d.version, kind: d.kind },
              scope: d.namespaced ? 'Namespaced' : 'Cluster',
              singularResource: d.singular,
              verbs: servedVerbs(d),
            };
            if (d.shortNames?.length) r.shortNames = d.shortNames;
            if (d.categories?.length) r.categories = d.categories;
            if (d.subresources?.length) {
              r.subresources = d.subresources.map((sub) => {
                const k = subresourceKind(d, sub);
                return { subresource: sub, responseKind: { group: k.group, version: k.version, kind: k.kind }, verbs: subresourceVerbs(sub) };
              });
            }
            return r;
          }),
        freshness: 'Current',
      })),
    })),
      ...(legacy ? [] : extraItems),
    ],
  };
}

/** Which aggregated discovery version the Accept header asks for, if any. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  for (const r of accept.split(',')) {
    const params = r.split(';').map((x) => x.trim());
    if (params[0] !== 'application/json') {
      if (params[0] === 'application/json' || params[0] === '*/*') return undefined;
      continue;
    }
    const p = new Map(params.slice(1).map((kv) => kv.split('=') as [string, string]));
    if (p.get('g') === 'apidiscovery.k8s.io' && p.get('as') === 'APIGroupDiscoveryList') {
      const v = p.get('v');
      if (v === 'v2' || v === 'v2beta1') return v;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/**
 * Served resources through discovery: the aggregated documents (`/api` and `/apis` as
 * apidiscovery.k8s.io/v2 APIGroupDiscoveryList, two requests), or the per-group-version
 * APIResourceLists when the server has no aggregated discovery. The preferred version of each
 * group (the first listed) wins; subresources are skipped.
 */
import { getJson } from './kube';
import type { ApiResource } from './types';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

interface AggregatedList {
  kind?: string;
  items?: {
    metadata?: { name?: string };
    versions?: { version: string; resources?: { resource: string; responseKind?: { kind?: string }; scope?: string; verbs?: string[]; shortNames?: string[] }[] }[];
  }[];
}

interface LegacyGroups {
  versions?: string[];
  groups?: { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }[];
}

interface ResourceList {
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[]; shortNames?: string[] }[];
}

function fromAggregated(doc: AggregatedList): ApiResource[] {
  const out: ApiResource[] = [];
  for (const g of doc.items ?? []) {
    const v = g.versions?.[0];
    if (!v) continue;
    for (const r of v.resources ?? []) {
      out.push({ group: g.metadata?.name ?? '', version: v.version, resource: r.resource, kind: r.responseKind?.kind ?? r.resource, namespaced: r.scope === 'Namespaced', verbs: r.verbs ?? [], shortNames: r.shortNames });
    }
  }
  return out;
}

async function legacy(signal?: AbortSignal): Promise<ApiResource[]> {
  const core = await getJson<LegacyGroups>('/api', signal);
  const groups = await getJson<LegacyGroups>('/apis', signal);
  const gvs: { group: string; version: string }[] = [...(core.versions ?? ['v1']).slice(0, 1).map((version) => ({ group: '', version }))];
  for (const g of groups.groups ?? []) {
    const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    if (version) gvs.push({ group: g.name, version });
  }
  const lists = await Promise.all(
    gvs.map(async (gv) => {
      const path = gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`;
      const l = await getJson<ResourceList>(path, signal).catch(() => ({ resources: [] }) as ResourceList);
      return (l.resources ?? []).map((r) => ({ group: gv.group, version: gv.version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [], shortNames: r.shortNames }));
    }),
  );
  return lists.flat();
}

/** Every served resource (no subresources). */
export async function discover(signal?: AbortSignal): Promise<ApiResource[]> {
  let all: ApiResource[];
  const [core, groups] = await Promise.all([getJson<AggregatedList>('/api', signal, AGGREGATED), getJson<AggregatedList>('/apis', signal, AGGREGATED)]);
  if (core.kind === 'APIGroupDiscoveryList' && groups.kind === 'APIGroupDiscoveryList') all = [...fromAggregated(core), ...fromAggregated(groups)];
  else all = await legacy(signal);
  return all.filter((r) => !r.resource.includes('/'));
}

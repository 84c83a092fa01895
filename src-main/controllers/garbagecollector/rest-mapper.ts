/**
 * Kind → resource and scope, from API discovery (`GET /api/v1`, `GET /apis/<group>/<version>`) as
 * client-go's RESTMapper does. One request per group version, cached; an unknown group version
 * is remembered as such for a minute.
 */
import { StatusError } from '../../api/errors';
import type { Clock, KubeClient, ResourceRef } from '../../client';

export interface Mapping {
  ref: ResourceRef;
  namespaced: boolean;
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

/** A resource the server serves (preferred version of each group), with what it can do. */
export interface ServedResource extends Mapping {
  kind: string;
  verbs: string[];
}

const NEGATIVE_TTL_MS = 60_000;

export class RestMapper {
  private readonly byGroupVersion = new Map<string, { kinds: Map<string, Mapping>; at: number; missing: boolean }>();

  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
  ) {}

  /** The mapping for `apiVersion` + `kind`, or undefined when the server serves no such kind. */
  async resolve(apiVersion: string, kind: string): Promise<Mapping | undefined> {
    let entry = this.byGroupVersion.get(apiVersion);
    if (!entry || (entry.missing && this.clock.now() - entry.at > NEGATIVE_TTL_MS)) {
      entry = await this.discover(apiVersion);
      this.byGroupVersion.set(apiVersion, entry);
    }
    return entry.kinds.get(kind);
  }

  /** Every resource of the preferred version of every group (core first), subresources left out. */
  async servedResources(): Promise<ServedResource[]> {
    const out: ServedResource[] = [];
    const groups = await this.client.request<{ groups?: { preferredVersion?: { groupVersion?: string } }[] }>('GET', '/apis', new URLSearchParams());
    const versions = ['v1', ...(groups.groups ?? []).map((g) => g.preferredVersion?.groupVersion).filter((v): v is string => !!v)];
    for (const gv of versions) {
      const slash = gv.indexOf('/');
      const group = slash < 0 ? '' : gv.slice(0, slash);
      const version = slash < 0 ? gv : gv.slice(slash + 1);
      const list = await this.client.request<{ resources?: ApiResource[] }>('GET', group ? `/apis/${gv}` : `/api/${gv}`, new URLSearchParams());
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue;
        out.push({ ref: { group, version, resource: r.name }, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs ?? [] });
      }
    }
    return out;
  }

  private async discover(apiVersion: string): Promise<{ kinds: Map<string, Mapping>; at: number; missing: boolean }> {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const kinds = new Map<string, Mapping>();
    try {
      const list = await this.client.request<{ resources?: ApiResource[] }>('GET', path, new URLSearchParams());
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue;
        kinds.set(r.kind, { ref: { group, version, resource: r.name }, namespaced: r.namespaced });
      }
      return { kinds, at: this.clock.now(), missing: false };
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return { kinds, at: this.clock.now(), missing: true };
      throw e;
    }
  }
}

/**
 * Every kind the API server serves, looked up by group/version/resource, by kind, or by
 * short name. The kinds themselves live one file each under `api/<group>/`.
 */
import type { ResourceDef } from './resource';
import { coreKinds } from './core';
import { appsKinds } from './apps';
import { batchKinds } from './batch';
import { discoveryKinds } from './discovery';
import { storageKinds } from './storage';
import { coordinationKinds } from './coordination';
import { eventsKinds } from './events';
import { policyKinds } from './policy';
import { networkingKinds } from './networking';
import { autoscalingKinds } from './autoscaling';
import { rbacKinds } from './rbac';
import { schedulingKinds } from './scheduling';

export const ALL_KINDS: ResourceDef[] = [
  ...coreKinds,
  ...appsKinds,
  ...batchKinds,
  ...discoveryKinds,
  ...storageKinds,
  ...coordinationKinds,
  ...eventsKinds,
  ...policyKinds,
  ...networkingKinds,
  ...autoscalingKinds,
  ...rbacKinds,
  ...schedulingKinds,
];

/** The preferred version of each group, in discovery order (core first, as upstream). */
export const GROUP_ORDER: { group: string; versions: string[] }[] = [
  { group: '', versions: ['v1'] },
  { group: 'apps', versions: ['v1'] },
  { group: 'events.k8s.io', versions: ['v1'] },
  { group: 'authentication.k8s.io', versions: [] },
  { group: 'autoscaling', versions: ['v2', 'v1'] },
  { group: 'batch', versions: ['v1'] },
  { group: 'coordination.k8s.io', versions: ['v1'] },
  { group: 'discovery.k8s.io', versions: ['v1'] },
  { group: 'networking.k8s.io', versions: ['v1'] },
  { group: 'policy', versions: ['v1'] },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'] },
  { group: 'storage.k8s.io', versions: ['v1'] },
  { group: 'scheduling.k8s.io', versions: ['v1'] },
];

export class Registry {
  private byGVR = new Map<string, ResourceDef>();
  private byGVK = new Map<string, ResourceDef>();
  constructor(readonly kinds: ResourceDef[] = ALL_KINDS) {
    for (const d of kinds) {
      this.byGVR.set(`${d.group}/${d.version}/${d.plural}`, d);
      this.byGVK.set(`${d.group}/${d.version}/${d.kind}`, d);
    }
  }
  get(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.byGVR.get(`${group}/${version}/${plural}`);
  }
  byKind(group: string, version: string, kind: string): ResourceDef | undefined {
    return this.byGVK.get(`${group}/${version}/${kind}`);
  }
  /** Versions served for a group, preferred first. */
  versions(group: string): string[] {
    const g = GROUP_ORDER.find((x) => x.group === group);
    const served = new Set(this.kinds.filter((k) => k.group === group).map((k) => k.version));
    return (g?.versions ?? [...served]).filter((v) => served.has(v));
  }
  groups(): string[] {
    const seen = new Set(this.kinds.map((k) => k.group));
    return GROUP_ORDER.map((g) => g.group).filter((g) => seen.has(g));
  }
  inGroupVersion(group: string, version: string): ResourceDef[] {
    return this.kinds.filter((k) => k.group === group && k.version === version);
  }
}

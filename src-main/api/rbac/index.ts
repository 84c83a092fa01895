import type { ResourceDef } from '../resource';

export const rbacKinds: ResourceDef[] = [];

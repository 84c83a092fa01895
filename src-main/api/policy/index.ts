import type { ResourceDef } from '../resource';

export const policyKinds: ResourceDef[] = [];

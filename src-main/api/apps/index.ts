import type { ResourceDef } from '../resource';

export const appsKinds: ResourceDef[] = [];

import type { ResourceDef } from '../resource';

export const coordinationKinds: ResourceDef[] = [];

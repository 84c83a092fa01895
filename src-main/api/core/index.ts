import type { ResourceDef } from '../resource';

export const coreKinds: ResourceDef[] = [];

import type { ResourceDef } from '../resource';

export const networkingKinds: ResourceDef[] = [];

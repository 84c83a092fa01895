import type { ResourceDef } from '../resource';

export const batchKinds: ResourceDef[] = [];

import type { ResourceDef } from '../resource';

export const discoveryKinds: ResourceDef[] = [];

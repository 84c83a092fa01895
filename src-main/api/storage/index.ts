import type { ResourceDef } from '../resource';

export const storageKinds: ResourceDef[] = [];

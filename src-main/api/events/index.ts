import type { ResourceDef } from '../resource';

export const eventsKinds: ResourceDef[] = [];

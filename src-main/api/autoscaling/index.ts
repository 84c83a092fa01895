import type { ResourceDef } from '../resource';

export const autoscalingKinds: ResourceDef[] = [];

import type { ResourceDef } from '../resource';
import { priorityClassesDef } from './priorityclass';

/** scheduling.k8s.io/v1. */
export const schedulingKinds: ResourceDef[] = [priorityClassesDef];

export { priorityClassesDef };

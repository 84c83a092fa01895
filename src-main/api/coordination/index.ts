import type { ResourceDef } from '../resource';
import { leasesDef } from './lease';

export const coordinationKinds: ResourceDef[] = [leasesDef];

export { leasesDef };

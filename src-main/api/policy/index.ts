import type { ResourceDef } from '../resource';
import { podDisruptionBudgetsDef } from './pdb';

export const policyKinds: ResourceDef[] = [podDisruptionBudgetsDef];

export { podDisruptionBudgetsDef };

import type { ResourceDef } from '../resource';
import { jobsDef } from './job';
import { cronJobsDef } from './cronjob';

/** batch/v1 in upstream discovery order. */
export const batchKinds: ResourceDef[] = [cronJobsDef, jobsDef];

export { jobsDef, cronJobsDef };

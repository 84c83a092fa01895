import type { ResourceDef } from '../resource';
import { deploymentsDef } from './deployment';
import { replicaSetsDef } from './replicaset';
import { statefulSetsDef } from './statefulset';
import { daemonSetsDef } from './daemonset';
import { controllerRevisionsDef } from './controllerrevision';

/** apps/v1 in upstream discovery order. */
export const appsKinds: ResourceDef[] = [controllerRevisionsDef, daemonSetsDef, deploymentsDef, replicaSetsDef, statefulSetsDef];

export { deploymentsDef, replicaSetsDef, statefulSetsDef, daemonSetsDef, controllerRevisionsDef };
export { formatLabelSelector, labelSelectorString } from './util/selector-format';

import type { ResourceDef } from '../resource';
import { clusterRoleBindingsDef, clusterRolesDef, roleBindingsDef, rolesDef } from './rbac';

/** rbac.authorization.k8s.io/v1 in upstream discovery order. */
export const rbacKinds: ResourceDef[] = [clusterRoleBindingsDef, clusterRolesDef, roleBindingsDef, rolesDef];

export { clusterRoleBindingsDef, clusterRolesDef, roleBindingsDef, rolesDef };

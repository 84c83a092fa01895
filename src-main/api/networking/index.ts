import type { ResourceDef } from '../resource';
import { ingressClassesDef, ingressesDef, networkPoliciesDef } from './ingress';

/** networking.k8s.io/v1 in upstream discovery order. */
export const networkingKinds: ResourceDef[] = [ingressClassesDef, ingressesDef, networkPoliciesDef];

export { ingressClassesDef, ingressesDef, networkPoliciesDef };

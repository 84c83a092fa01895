/**
 * The core API group ('' / v1): one ResourceDef per kind, plus the shared helpers other groups
 * import (ObjectMeta/label/selector validation, PodSpec/PodTemplateSpec defaulting and
 * validation, quantities).
 */
import type { ResourceDef } from '../resource';
import { configMapsDef } from './configmap';
import { endpointsDef } from './endpoints';
import { eventsDef } from './event';
import { limitRangesDef } from './limitrange';
import { namespacesDef } from './namespace';
import { nodesDef } from './node';
import { persistentVolumesDef } from './persistentvolume';
import { persistentVolumeClaimsDef } from './persistentvolumeclaim';
import { podsDef } from './pod';
import { podTemplatesDef } from './podtemplate';
import { replicationControllersDef } from './replicationcontroller';
import { resourceQuotasDef } from './resourcequota';
import { secretsDef } from './secret';
import { serviceAccountsDef } from './serviceaccount';
import { servicesDef } from './service';

/** In the order `kubectl api-resources` lists the core group (alphabetical by plural). */
export const coreKinds: ResourceDef[] = [
  configMapsDef,
  endpointsDef,
  eventsDef,
  limitRangesDef,
  namespacesDef,
  nodesDef,
  persistentVolumeClaimsDef,
  persistentVolumesDef,
  podsDef,
  podTemplatesDef,
  replicationControllersDef,
  resourceQuotasDef,
  secretsDef,
  serviceAccountsDef,
  servicesDef,
];

export * from './validation/names';
export * from './validation/meta';
export * from './quantity';
export * from './pod-spec';

/**
 * The controller manager's controllers, in start order. Each entry is one file's
 * `ControllerDefinition`; add a line here when you add a controller.
 */
import type { ControllerDefinition } from './controller';
import { replicaSetController } from './replicaset';
import { replicationControllerController } from './replicationcontroller';
import { deploymentController } from './deployment/controller';
import { statefulSetController } from './statefulset/controller';
import { daemonSetController } from './daemonset/controller';
import { persistentVolumeBinderController } from './volume/pv-controller';
import { hostPathProvisionerController } from './volume/hostpath-provisioner';
import { pvcProtectionController } from './volume/pvc-protection';
import { pvProtectionController } from './volume/pv-protection';
import { garbageCollectorController } from './garbagecollector/garbagecollector';
import { endpointsController } from './endpoints';
import { endpointSliceController } from './endpointslice/endpointslice';
import { disruptionController } from './disruption';
import { nodeLifecycleController } from './nodelifecycle/node-health';
import { taintEvictionController } from './nodelifecycle/taint-eviction';
import { jobController } from './job/job-controller';
import { cronJobController } from './cronjob/cronjob-controller';
import { ttlAfterFinishedController } from './ttl-after-finished';

export const ALL_CONTROLLERS: ControllerDefinition[] = [
  replicaSetController,
  replicationControllerController,
  deploymentController,
  statefulSetController,
  daemonSetController,
  persistentVolumeBinderController,
  hostPathProvisionerController,
  pvcProtectionController,
  pvProtectionController,
  garbageCollectorController,
  endpointsController,
  endpointSliceController,
  disruptionController,
  nodeLifecycleController,
  taintEvictionController,
  jobController,
  cronJobController,
  ttlAfterFinishedController,
];

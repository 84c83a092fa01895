/**
 * The ReplicationController controller (pkg/controller/replication): upstream runs the
 * ReplicaSet controller's code on RCs through an adapter; here the same engine
 * (`replicaset.ts`) runs with the RC's kind, its map selector and the `replication-controller`
 * event source.
 */
import type { ControllerDefinition } from './controller';
import { REPLICATIONCONTROLLER_KIND, ReplicaController } from './replicaset';

export const replicationControllerController: ControllerDefinition = {
  name: 'replicationcontroller',
  start: (ctx) => new ReplicaController(ctx, REPLICATIONCONTROLLER_KIND),
};

/**
 * All of this area's controllers together (GC, endpoints, endpoint slices, disruption, node
 * lifecycle) reach a steady state: once their work is done they write nothing more (no loop of
 * status writes answering their own update events).
 */
import { afterEach, it, expect } from 'vitest';
import { R } from '../../../../src-main/client';
import { disruptionController } from '../../../../src-main/controllers/disruption';
import { endpointsController } from '../../../../src-main/controllers/endpoints';
import { endpointSliceController } from '../../../../src-main/controllers/endpointslice/endpointslice';
import { nodeLifecycleController } from '../../../../src-main/controllers/nodelifecycle/node-health';
import { garbageCollectorController } from '../../../../src-main/controllers/garbagecollector/garbagecollector';
import { Harness } from '../garbagecollector/harness';
import { runningPod, service } from '../endpoints/pods';
let h: Harness;
afterEach(async () => h.stop());
it('writes nothing more once the cluster is settled', async () => {
  h = await new Harness().start(disruptionController, endpointsController, endpointSliceController, nodeLifecycleController, garbageCollectorController);
  await runningPod(h.admin, 'a', { ip: '10.244.1.2' });
  await service(h.admin, 'web', { selector: { app: 'web' } });
  await h.admin.create(R.poddisruptionbudgets, 'default', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: 1 } });
  await h.admin.create(R.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { unschedulable: true } });
  await h.settle(2000);
  const r1 = h.store.currentRevision();
  await h.settle(2000);
  const r2 = h.store.currentRevision();
  expect(r2 - r1).toBe(0);
});

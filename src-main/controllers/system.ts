/**
 * Starts the cluster's built-in controllers of this milestone (namespace lifecycle, default
 * ServiceAccount and root CA ConfigMap) on shared informers and rate-limited work queues.
 */
import type { KubeObject, UserInfo } from '../api/types';
import type { Registry } from '../api/registry';
import type { ApiHandler } from '../apiserver/types';
import { EventRecorder, KubeClient, R, RateLimitingQueue, SharedInformerFactory, realClock, runWorkers, type Clock } from '../client';
import type { ControllerDefinition } from './controller';
import { ALL_CONTROLLERS } from './all';
import { NamespaceController, NamespaceContentRemaining } from './namespace';
import { ServiceAccountController, ROOT_CA_CONFIGMAP } from './serviceaccount';

const CONTROLLER_MANAGER: UserInfo = { name: 'system:kube-controller-manager', groups: ['system:authenticated'] };

export interface SystemControllers {
  stop(): Promise<void>;
}

export interface SystemControllerOptions {
  handler: ApiHandler;
  registry: Registry;
  caCertPem: string;
  log: (line: string) => void;
  /** The cluster clock; default wall time. */
  clock?: Clock;
  dataDir?: string;
  /** Default: every controller in all.ts. */
  controllers?: ControllerDefinition[];
}

export async function startSystemControllers(opts: SystemControllerOptions): Promise<SystemControllers> {
  const clock = opts.clock ?? realClock;
  const client = new KubeClient(opts.handler, CONTROLLER_MANAGER, { userAgent: 'kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/kubesim' });
  const factory = new SharedInformerFactory(client, { log: opts.log, clock });
  const namespaces = factory.informerFor(R.namespaces);
  const serviceAccounts = factory.informerFor(R.serviceaccounts, { fieldSelector: 'metadata.name=default' });
  const rootCAs = factory.informerFor(R.configmaps, { fieldSelector: `metadata.name=${ROOT_CA_CONFIGMAP}` });

  const nsQueue = new RateLimitingQueue<string>();
  const saQueue = new RateLimitingQueue<string>();
  const nsName = (o: KubeObject) => o.metadata.name ?? '';
  const inNamespace = (o: KubeObject) => o.metadata.namespace ?? '';

  namespaces.addEventHandler({
    onAdd: (o) => {
      saQueue.add(nsName(o));
      if (o.metadata.deletionTimestamp) nsQueue.add(nsName(o));
    },
    onUpdate: (_old, o) => {
      if (o.metadata.deletionTimestamp) nsQueue.add(nsName(o));
    },
  });
  // A deleted default ServiceAccount or root CA ConfigMap comes back.
  serviceAccounts.addEventHandler({ onDelete: (o) => saQueue.add(inNamespace(o)) });
  rootCAs.addEventHandler({ onDelete: (o) => saQueue.add(inNamespace(o)) });

  const nsController = new NamespaceController(client, opts.registry);
  const saController = new ServiceAccountController(client, opts.caCertPem);
  const onError = (item: unknown, err: unknown) => {
    if (err instanceof NamespaceContentRemaining) return;
    opts.log(`controller: ${String(item)}: ${err instanceof Error ? err.message : String(err)}`);
  };
  const ctx = {
    client,
    informers: factory,
    clock,
    events: (component: string) => new EventRecorder(client, { component }, clock),
    log: opts.log,
    dataDir: opts.dataDir,
  };
  const running = (opts.controllers ?? ALL_CONTROLLERS).map((d) => d.start(ctx));
  factory.start();
  await factory.waitForCacheSync();
  const workers = [runWorkers(nsQueue, 2, (n) => nsController.reconcile(n), { onError }), runWorkers(saQueue, 2, (n) => saController.reconcile(n), { onError })];
  for (const c of running) c.run();

  return {
    async stop() {
      nsQueue.shutDown();
      saQueue.shutDown();
      await Promise.all(running.map((c) => c.stop()));
      await factory.stop();
      await Promise.all(workers);
    },
  };
}

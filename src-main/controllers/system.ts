/**
 * Starts the cluster's built-in controllers of this milestone (namespace lifecycle, default
 * ServiceAccount and root CA ConfigMap) on shared informers and rate-limited work queues.
 */
import type { KubeObject, UserInfo } from '../api/types';
import type { Registry } from '../api/registry';
import type { ApiHandler } from '../apiserver/types';
import { KubeClient, R, RateLimitingQueue, SharedInformerFactory, runWorkers } from '../client';
import { NamespaceController, NamespaceContentRemaining } from './namespace';
import { ServiceAccountController, ROOT_CA_CONFIGMAP } from './serviceaccount';

const CONTROLLER_MANAGER: UserInfo = { name: 'system:kube-controller-manager', groups: ['system:authenticated'] };

export interface SystemControllers {
  stop(): Promise<void>;
}

export async function startSystemControllers(opts: { handler: ApiHandler; registry: Registry; caCertPem: string; log: (line: string) => void }): Promise<SystemControllers> {
  const client = new KubeClient(opts.handler, CONTROLLER_MANAGER, { userAgent: 'kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/kubesim' });
  const factory = new SharedInformerFactory(client, { log: opts.log });
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
  factory.start();
  await factory.waitForCacheSync();
  const workers = [runWorkers(nsQueue, 2, (n) => nsController.reconcile(n), { onError }), runWorkers(saQueue, 2, (n) => saController.reconcile(n), { onError })];

  return {
    async stop() {
      nsQueue.shutDown();
      saQueue.shutDown();
      await factory.stop();
      await Promise.all(workers);
    },
  };
}

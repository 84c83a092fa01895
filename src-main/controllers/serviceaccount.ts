/**
 * ServiceAccount and root-CA publisher controllers: every active Namespace gets the `default`
 * ServiceAccount and the `kube-root-ca.crt` ConfigMap, and gets them back if they are deleted.
 */
import { R, type KubeClient } from '../client';
import { ensure } from '../bootstrap/ensure';
import { StatusError } from '../api/errors';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export class ServiceAccountController {
  constructor(private readonly client: KubeClient, private readonly caCertPem: string) {}

  async reconcile(namespace: string): Promise<void> {
    const ns = await this.client.tryGet(R.namespaces, undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    try {
      await ensure(this.client, R.serviceaccounts, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
      await ensure(this.client, R.configmaps, namespace, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: ROOT_CA_CONFIGMAP, annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION } },
        data: { 'ca.crt': this.caCertPem },
      });
    } catch (e) {
      // The namespace started terminating in between: nothing to do.
      if (e instanceof StatusError && (e.code === 403 || e.code === 404)) return;
      throw e;
    }
  }
}

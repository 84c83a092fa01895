/**
 * ServiceAccount and root-CA publisher controllers: every active Namespace gets the `default`
 * ServiceAccount and the `kube-root-ca.crt` ConfigMap, and gets them back if they are deleted.
 */
import type { ApiCall } from '../bootstrap/api-call';
import { ensure } from '../bootstrap/api-call';
import type { KubeObject } from '../api/types';
import { StatusError } from '../api/errors';

const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export class ServiceAccountController {
  constructor(private readonly call: ApiCall, private readonly caCertPem: string) {}

  async reconcile(namespace: string): Promise<void> {
    let ns: KubeObject;
    try {
      ns = await this.call('GET', `/api/v1/namespaces/${namespace}`);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
    if (ns.metadata.deletionTimestamp) return;
    try {
      await ensure(this.call, `/api/v1/namespaces/${namespace}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
      await ensure(this.call, `/api/v1/namespaces/${namespace}/configmaps`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION } },
        data: { 'ca.crt': this.caCertPem },
      });
    } catch (e) {
      // The namespace started terminating in between: nothing to do.
      if (e instanceof StatusError && (e.code === 403 || e.code === 404)) return;
      throw e;
    }
  }
}

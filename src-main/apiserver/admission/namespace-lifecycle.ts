/**
 * NamespaceLifecycle: no new objects in a namespace that does not exist or is being deleted, and
 * the system namespaces cannot be deleted.
 */
import { StatusError, forbidden, notFound } from '../../api/errors';
import type { AdmissionPlugin } from '../context';
import { keyFor } from '../storage-keys';

const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

export const namespaceLifecycle: AdmissionPlugin = {
  name: 'NamespaceLifecycle',
  validate(a, ctx) {
    if (a.def.group === '' && a.def.plural === 'namespaces') {
      if (a.operation === 'DELETE' && IMMORTAL.has(a.name)) {
        throw forbidden('', 'namespaces', a.name, 'this namespace may not be deleted');
      }
      return;
    }
    if (!a.def.namespaced || a.operation !== 'CREATE') return;
    const nsDef = ctx.registry.get('', 'v1', 'namespaces');
    if (!nsDef) return;
    const ns = ctx.store.get(keyFor(nsDef, '', a.namespace));
    if (!ns) throw notFound('', 'namespaces', a.namespace);
    if (ns.object.metadata.deletionTimestamp) {
      // Events about the namespace's own teardown are still allowed upstream.
      if (a.def.plural === 'events') return;
      throw new StatusError(403, 'Forbidden', `${a.def.group ? `${a.def.plural}.${a.def.group}` : a.def.plural} "${a.name}" is forbidden: unable to create new content in namespace ${a.namespace} because it is being terminated`, {
        name: a.name,
        group: a.def.group || undefined,
        kind: a.def.plural,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${a.namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  },
};

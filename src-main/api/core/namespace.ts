/**
 * Namespaces (core/v1, cluster-scoped): the `kubernetes.io/metadata.name` label, phase Active,
 * the `kubernetes` spec finalizer, DNS-1123 label names, and the `finalize` subresource.
 */
import { fe } from '../field-errors';
import { translateTimestampSince } from '../printers';
import type { ResourceDef } from '../resource';
import { AGE_COLUMN, NAME_COLUMN, col, o, s } from './common';
import { validateNamespaceName, validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';
import { isQualifiedName, type NameValidator } from './validation/names';

const nameIsNamespace: NameValidator = (name, prefix) => validateNamespaceName(name, prefix);

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function validateSpecFinalizers(spec: unknown) {
  const errs = [];
  const fins = o(spec).finalizers;
  if (Array.isArray(fins)) {
    for (const f of fins) {
      const v = String(f);
      const msgs = isQualifiedName(v);
      for (const m of msgs) errs.push(fe.invalid('spec.finalizers', v, m));
      if (!msgs.length && !v.includes('/') && v !== 'kubernetes') {
        errs.push(fe.invalid('spec.finalizers', v, 'name is neither a standard finalizer name nor is it fully qualified'));
      }
    }
  }
  return errs;
}

export const namespacesDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  // The namespace REST storage has no DeleteCollection.
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['status', 'finalize'],

  default(obj) {
    // SetDefaults_Namespace: the immutable name label (only when the name is known).
    if (obj.metadata.name) {
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: obj.metadata.name };
    }
  },

  prepareForCreate(obj) {
    // namespaceStrategy.PrepareForCreate: status Active and the `kubernetes` finalizer.
    obj.status = { phase: 'Active' };
    const spec = o(obj.spec);
    const fins = Array.isArray(spec.finalizers) ? spec.finalizers.map(String) : [];
    if (!fins.includes('kubernetes')) fins.push('kubernetes');
    obj.spec = { ...spec, finalizers: fins };
    // The label also covers names from generateName, known only now.
    if (obj.metadata.name) obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: obj.metadata.name };
  },

  prepareForUpdate(obj, old) {
    // Spec finalizers change only through /finalize.
    obj.spec = { ...o(obj.spec), finalizers: o(old.spec).finalizers };
  },

  validate(obj, old) {
    if (old) {
      const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
      errs.push(...validateSpecFinalizers(obj.spec));
      return errs;
    }
    const errs = validateObjectMeta(obj.metadata, { namespaced: false, nameFn: nameIsNamespace });
    errs.push(...validateSpecFinalizers(obj.spec));
    return errs;
  },

  validateStatus(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    const phase = o(obj.status).phase;
    if (!old.metadata.deletionTimestamp && phase !== undefined && phase !== 'Active') {
      errs.push(fe.invalid('status.Phase', phase, 'may only be \'Active\' if `deletionTimestamp` is empty'));
    } else if (old.metadata.deletionTimestamp && phase !== 'Terminating') {
      errs.push(fe.invalid('status.Phase', phase, 'may only be in terminating phase if `deletionTimestamp` is not empty'));
    }
    return errs;
  },

  fieldSelectors: {
    'status.phase': (ns) => s(o(ns.status).phase),
  },

  table: {
    columns: [NAME_COLUMN, col('Status', 'The status of the namespace'), AGE_COLUMN],
    row(ns, now) {
      return [ns.metadata.name ?? '', s(o(ns.status).phase), translateTimestampSince(ns.metadata.creationTimestamp, now)];
    },
  },
};

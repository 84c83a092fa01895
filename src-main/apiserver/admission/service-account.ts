/**
 * ServiceAccount admission (plugin/pkg/admission/serviceaccount), for new pods: the `default`
 * service account when none is named, and the projected API-access token volume
 * (`kube-api-access-<random>`) mounted at /var/run/secrets/kubernetes.io/serviceaccount in every
 * container, unless automountServiceAccountToken is false. Runs after the field manager, as
 * upstream: what it adds is owned by nobody.
 */
import { admitServiceAccount } from '../../api/core/pod';
import type { AdmissionPlugin } from '../context';

export const serviceAccountAdmission: AdmissionPlugin = {
  name: 'ServiceAccount',
  admit(a) {
    if (a.operation !== 'CREATE' || a.subresource !== '' || a.def.group !== '' || a.def.plural !== 'pods' || !a.object) return;
    admitServiceAccount(a.object);
  },
};

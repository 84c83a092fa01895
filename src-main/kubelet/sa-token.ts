/** The projected service account token the kubelet writes (shaped like a real one; not verifiable). */
import type { KubeObject } from '../api/types';

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

/** A token that looks like the kubelet's projected service account token (not verifiable). */
export function serviceAccountToken(pod: KubeObject, now: number, expirationSeconds = 3607): string {
  const ns = pod.metadata.namespace ?? 'default';
  const sa = ((pod.spec ?? {}) as { serviceAccountName?: string }).serviceAccountName ?? 'default';
  const iat = Math.floor(now / 1000);
  const header = { alg: 'RS256', kid: 'kubesim' };
  const claims = {
    aud: ['https://kubernetes.default.svc.cluster.local'],
    exp: iat + expirationSeconds,
    iat,
    iss: 'https://kubernetes.default.svc.cluster.local',
    'kubernetes.io': { namespace: ns, pod: { name: pod.metadata.name, uid: pod.metadata.uid }, serviceaccount: { name: sa } },
    nbf: iat,
    sub: `system:serviceaccount:${ns}:${sa}`,
  };
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}.${b64url('kubesim-signature')}`;
}

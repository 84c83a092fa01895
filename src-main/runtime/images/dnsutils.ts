/**
 * registry.k8s.io/e2e-test-images/jessie-dnsutils: the image of the Kubernetes docs' "Debugging DNS
 * Resolution" page (`kubectl exec -i -t dnsutils -- nslookup kubernetes.default`): Debian 8 with
 * BIND 9.9's dnsutils (nslookup, dig, host) and glibc's getent, run as `sleep infinity`.
 */
import type { ImageFamily } from './types';
import { DEFAULT_PATH, exe } from './types';
import { debianUserland, type DebianFlavor } from './os';
import { nslookupBind } from '../tools/dns';

const JESSIE: DebianFlavor = { prettyName: 'Debian GNU/Linux 8 (jessie)', id: 'debian', versionId: '8', codename: 'jessie', procps: false };

export const jessieDnsutils: ImageFamily = {
  repository: 'registry.k8s.io/e2e-test-images/jessie-dnsutils',
  config: { entrypoint: [], cmd: ['bash'], workingDir: '', env: [DEFAULT_PATH], exposedPorts: [] },
  groups: [
    { tags: ['1.7'], version: '1.7', sizeBytes: 112_437_622 },
    { tags: ['1.5'], version: '1.5', sizeBytes: 112_421_015 },
    { tags: ['1.3'], version: '1.3', sizeBytes: 112_412_506 },
  ],
  files: () => ({
    ...debianUserland(JESSIE),
    '/etc/debian_version': '8.11\n',
    '/usr/bin/nslookup': exe('bind-nslookup'),
    '/usr/bin/dig': exe('gnu'),
    '/usr/bin/host': exe('gnu'),
    '/usr/bin/getent': exe('gnu'),
  }),
  programs: { 'bind-nslookup': (ctx) => nslookupBind(ctx, 'gnu') },
};

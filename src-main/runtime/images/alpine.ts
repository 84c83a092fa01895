/** alpine: busybox userland plus Alpine's release files. Default CMD `/bin/sh`. */
import type { ImageFamily, TagGroup } from './types';
import { DEFAULT_PATH, exe } from './types';
import { busyboxUserland } from './os';

const g = (tags: string[], version: string, sizeBytes: number): TagGroup => ({ tags, version, sizeBytes });

export const alpine: ImageFamily = {
  repository: 'docker.io/library/alpine',
  config: { entrypoint: [], cmd: ['/bin/sh'], workingDir: '', env: [DEFAULT_PATH], exposedPorts: [] },
  groups: [
    g(['3.22.2', '3.22', '3', 'latest'], '3.22.2', 3_802_452),
    g(['3.21.5', '3.21'], '3.21.5', 3_643_784),
    g(['3.20.8', '3.20'], '3.20.8', 3_626_129),
    g(['3.19.9', '3.19'], '3.19.9', 3_420_050),
    g(['3.18.12', '3.18'], '3.18.12', 3_405_826),
    g(['edge', '20250108'], '3.23_alpha20250108', 3_793_115),
  ],
  files: (group) => ({
    ...busyboxUserland(),
    '/usr/bin/getent': exe('gnu'), // musl-utils
    '/etc/alpine-release': `${group.version}\n`,
    '/etc/os-release': `NAME="Alpine Linux"\nID=alpine\nVERSION_ID=${group.version}\nPRETTY_NAME="Alpine Linux v${group.version.split('.').slice(0, 2).join('.')}"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n`,
  }),
};

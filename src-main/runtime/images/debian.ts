/** debian and ubuntu base images: dash as /bin/sh, bash, GNU coreutils. Default CMD bash. */
import type { ImageFamily, TagGroup } from './types';
import { DEFAULT_PATH } from './types';
import { BOOKWORM, BULLSEYE, TRIXIE, debianUserland, type DebianFlavor } from './os';

const NOBLE: DebianFlavor = { prettyName: 'Ubuntu 24.04.3 LTS', id: 'ubuntu', versionId: '24.04', codename: 'noble', procps: true };
const JAMMY: DebianFlavor = { prettyName: 'Ubuntu 22.04.5 LTS', id: 'ubuntu', versionId: '22.04', codename: 'jammy', procps: true };
const FOCAL: DebianFlavor = { prettyName: 'Ubuntu 20.04.6 LTS', id: 'ubuntu', versionId: '20.04', codename: 'focal', procps: true };

const FLAVORS: Record<string, DebianFlavor> = { trixie: TRIXIE, bookworm: BOOKWORM, bullseye: BULLSEYE, noble: NOBLE, jammy: JAMMY, focal: FOCAL };

const g = (tags: string[], codename: string, version: string, sizeBytes: number): TagGroup => ({ tags, version, sizeBytes, variant: { codename } });

export const debian: ImageFamily = {
  repository: 'docker.io/library/debian',
  config: { entrypoint: [], cmd: ['bash'], workingDir: '', env: [DEFAULT_PATH], exposedPorts: [] },
  groups: [
    g(['13.2', '13', 'trixie', 'latest', 'trixie-20251117'], 'trixie', '13.2', 49_282_467),
    g(['13-slim', 'trixie-slim', 'stable-slim'], 'trixie', '13.2', 29_776_134),
    g(['12.12', '12', 'bookworm', 'bookworm-20251117'], 'bookworm', '12.12', 48_494_212),
    g(['12-slim', 'bookworm-slim'], 'bookworm', '12.12', 28_230_960),
    g(['11.11', '11', 'bullseye'], 'bullseye', '11.11', 53_743_129),
    g(['11-slim', 'bullseye-slim'], 'bullseye', '11.11', 30_253_562),
  ],
  files: (group) => debianUserland(FLAVORS[group.variant!.codename!]!),
};

export const ubuntu: ImageFamily = {
  repository: 'docker.io/library/ubuntu',
  config: { entrypoint: [], cmd: ['/bin/bash'], workingDir: '', env: [DEFAULT_PATH], exposedPorts: [] },
  groups: [
    g(['24.04', 'noble', 'latest', 'noble-20251013'], 'noble', '24.04', 29_723_147),
    g(['22.04', 'jammy', 'jammy-20251013'], 'jammy', '22.04', 29_536_497),
    g(['20.04', 'focal', 'focal-20250404'], 'focal', '20.04', 27_511_864),
  ],
  files: (group) => debianUserland(FLAVORS[group.variant!.codename!]!),
};

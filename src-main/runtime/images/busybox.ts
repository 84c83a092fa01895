/** busybox: the multi-call binary; `sh` is ash. Default CMD `sh`. */
import type { ImageFamily, TagGroup } from './types';
import { DEFAULT_PATH } from './types';
import { busyboxUserland } from './os';

const g = (tags: string[], version: string, sizeBytes: number): TagGroup => ({ tags, version, sizeBytes });

export const busybox: ImageFamily = {
  repository: 'docker.io/library/busybox',
  config: { entrypoint: [], cmd: ['sh'], workingDir: '', env: [DEFAULT_PATH], exposedPorts: [] },
  groups: [
    g(['1.37.0', '1.37', '1', 'unstable', 'latest'], '1.37.0', 2_154_963),
    g(['1.36.1', '1.36', 'stable'], '1.36.1', 2_152_262),
    g(['1.36.0'], '1.36.0', 2_148_114),
    g(['1.35.0', '1.35'], '1.35.0', 772_788),
    g(['1.34.1', '1.34'], '1.34.1', 772_081),
    g(['1.34.0'], '1.34.0', 771_927),
    g(['1.33.1', '1.33'], '1.33.1', 766_607),
    g(['1.33.0'], '1.33.0', 766_210),
    g(['1.32.1', '1.32'], '1.32.1', 767_398),
    g(['1.32.0'], '1.32.0', 764_619),
    g(['1.31.1', '1.31'], '1.31.1', 764_556),
    g(['1.31.0'], '1.31.0', 760_770),
    g(['1.30.1', '1.30'], '1.30.1', 755_842),
    g(['1.30.0'], '1.30.0', 755_518),
    g(['1.29.3', '1.29'], '1.29.3', 760_757),
    g(['1.29.2'], '1.29.2', 757_694),
    g(['1.29.1'], '1.29.1', 755_237),
    g(['1.28.4', '1.28'], '1.28.4', 727_869),
    g(['1.28.3'], '1.28.3', 727_810),
    g(['1.28.2'], '1.28.2', 727_799),
    g(['1.28.1'], '1.28.1', 726_831),
    g(['1.28.0'], '1.28.0', 726_578),
  ],
  files: (group) => ({ ...busyboxUserland(), '/etc/busybox-version': `${group.version}\n` }),
};

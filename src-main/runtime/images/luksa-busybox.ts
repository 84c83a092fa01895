/**
 * The book's busybox one-liners (Kubernetes in Action ch. 4), each a shell-form ENTRYPOINT run by
 * busybox `sh`: luksa/batch-job (`<date> Batch job starting`, 120 s of work, `<date> Finished
 * succesfully` — the book's spelling — exit 0: the Job demo) and luksa/ssd-monitor (`SSD OK`
 * every 5 s: the DaemonSet demo).
 */
import type { ImageFamily } from './types';
import { DEFAULT_PATH } from './types';
import { busyboxUserland } from './os';

const files = () => ({ ...busyboxUserland(), '/etc/busybox-version': '1.27.2\n' });

export const luksaBatchJob: ImageFamily = {
  repository: 'docker.io/luksa/batch-job',
  config: { entrypoint: ['/bin/sh', '-c', 'echo "$(date) Batch job starting"; sleep 120; echo "$(date) Finished succesfully"'], cmd: [], workingDir: '', env: [DEFAULT_PATH], exposedPorts: [] },
  groups: [{ tags: ['latest'], version: '1.27.2', sizeBytes: 701_345 }],
  files,
};

export const luksaSsdMonitor: ImageFamily = {
  repository: 'docker.io/luksa/ssd-monitor',
  config: { entrypoint: ['/bin/sh', '-c', "while true; do echo 'SSD OK'; sleep 5; done"], cmd: [], workingDir: '', env: [DEFAULT_PATH], exposedPorts: [] },
  groups: [{ tags: ['latest'], version: '1.27.2', sizeBytes: 701_312 }],
  files,
};

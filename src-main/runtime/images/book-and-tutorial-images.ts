/**
 * The image families of Kubernetes in Action (besides luksa/kubia, listed in index.ts) and of
 * the official tutorials and hello-world guides: one list so index.ts names them in one line.
 */
import type { ImageFamily } from './types';
import { kubiaPet, kubiaPetPeers } from './luksa-pet';
import { luksaFortune } from './luksa-fortune';
import { luksaBatchJob, luksaSsdMonitor } from './luksa-busybox';

export const BOOK_AND_TUTORIAL_FAMILIES: ImageFamily[] = [kubiaPet, kubiaPetPeers, luksaFortune, luksaBatchJob, luksaSsdMonitor];

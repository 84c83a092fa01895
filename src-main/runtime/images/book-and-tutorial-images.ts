/**
 * The image families of Kubernetes in Action (besides luksa/kubia, listed in index.ts) and of
 * the official tutorials and hello-world guides: one list so index.ts names them in one line.
 * (gcr.io/google-samples/hello-app lives in tutorials.ts.)
 */
import type { ImageFamily } from './types';
import { kubiaPet, kubiaPetPeers } from './luksa-pet';
import { luksaFortune } from './luksa-fortune';
import { luksaBatchJob, luksaSsdMonitor } from './luksa-busybox';
import { jocatalinBootcamp, kubernetesBootcamp } from './bootcamp';
import { echoserverFamilies } from './echoserver';
import { ealenEchoServer, jmallocEchoServer, kicbaseEchoServer } from './echo-server';
import { httpEchoImage } from './http-echo';
import { containousWhoami, traefikWhoami } from './whoami';
import { nginxdemosHello, paulbouwerHelloKubernetes } from './hello-apps';
import { podinfoFamilies } from './podinfo';
import { hpaExampleFamilies } from './hpa-example';
import { agnhostImage } from './agnhost';
import { guestbookFamilies } from './guestbook';

export const BOOK_AND_TUTORIAL_FAMILIES: ImageFamily[] = [
  kubiaPet,
  kubiaPetPeers,
  luksaFortune,
  luksaBatchJob,
  luksaSsdMonitor,
  kubernetesBootcamp,
  jocatalinBootcamp,
  ...echoserverFamilies,
  kicbaseEchoServer,
  jmallocEchoServer,
  ealenEchoServer,
  httpEchoImage,
  traefikWhoami,
  containousWhoami,
  nginxdemosHello,
  paulbouwerHelloKubernetes,
  ...podinfoFamilies,
  ...hpaExampleFamilies,
  agnhostImage,
  ...guestbookFamilies,
];

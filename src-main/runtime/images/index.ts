/** Every image family of the catalog. */
import type { ImageFamily } from './types';
import { busybox } from './busybox';
import { corednsImage } from './coredns';
import { jessieDnsutils } from './dnsutils';
import { alpine } from './alpine';
import { debian, ubuntu } from './debian';
import { nginx } from './nginx';
import { kubia, kubiaUnhealthy } from './kubia';
import { redis } from './redis';
import { httpd } from './httpd';
import { stressImage } from './stress';
import { BOOK_AND_TUTORIAL_FAMILIES } from './book-and-tutorial-images';
import { adritaGettingStarted, helloAppImage, nigelGettingStarted, tutorialBackend, tutorialFrontend } from './tutorials';

export type { ImageFamily, TagGroup, ImageConfig } from './types';

export const IMAGE_FAMILIES: ImageFamily[] = [busybox, alpine, debian, ubuntu, nginx, httpd, kubia, kubiaUnhealthy, redis, stressImage, tutorialFrontend, tutorialBackend, nigelGettingStarted, adritaGettingStarted, helloAppImage, corednsImage, jessieDnsutils, ...BOOK_AND_TUTORIAL_FAMILIES];

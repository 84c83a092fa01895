/** The guided tutorials, one per seed text, in reading order. */
import type { Tutorial } from './types';
import { firstApp } from './data/first-app';
import { webAppRedis } from './data/web-app-redis';
import { gettingStarted } from './data/getting-started';
import { podsDeploymentsServices } from './data/pods-deployments-services';
import { kubernetes201 } from './data/kubernetes-201';

export const TUTORIALS: readonly Tutorial[] = [firstApp, gettingStarted, podsDeploymentsServices, kubernetes201, webAppRedis];

export function findTutorial(id: string): Tutorial | undefined {
  return TUTORIALS.find((t) => t.id === id);
}

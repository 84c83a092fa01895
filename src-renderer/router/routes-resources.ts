/** The overview and the resource browsers: `/`, `/r/<group>/<version>/<resource>[/<namespace>]/<name>`. */
import type { RouteRecordRaw } from 'vue-router';
import OverviewView from '../views/OverviewView.vue';
import ResourceListView from '../views/ResourceListView.vue';
import { DETAILS_PATH, LIST_PATH } from '../util/paths';

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'overview', component: OverviewView, meta: { title: 'Overview' } },
  { path: LIST_PATH, name: 'resource-list', component: ResourceListView },
  { path: DETAILS_PATH, name: 'resource-details', component: () => import('../views/ResourceDetailsView.vue') },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('../views/NotFoundView.vue') },
];

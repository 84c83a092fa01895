/** The scheduling feature's routes: the list of Pending pods with why each waits. */
import type { RouteRecordRaw } from 'vue-router';

export const PENDING_ROUTE = '/scheduling/pending';

export const routes: RouteRecordRaw[] = [{ path: PENDING_ROUTE, name: 'pending-pods', component: () => import('./PendingPodsView.vue'), meta: { title: 'Pending pods' } }];

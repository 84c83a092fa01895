/** The network feature's routes: the port-forwards page and the host terminal. */
import type { RouteRecordRaw } from 'vue-router';

export const PORT_FORWARDS_ROUTE = '/port-forwards';
export const TERMINAL_ROUTE = '/terminal';

export const routes: RouteRecordRaw[] = [
  { path: PORT_FORWARDS_ROUTE, name: 'port-forwards', component: () => import('./PortForwardsView.vue'), meta: { title: 'Port forwards' } },
  { path: TERMINAL_ROUTE, name: 'host-terminal', component: () => import('./HostTerminalView.vue'), meta: { title: 'Terminal' } },
];

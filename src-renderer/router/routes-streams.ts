/** Streams: the exec terminal of a pod and the log viewer of a pod or a workload (merged). */
import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  { path: '/exec/:namespace/:pod', name: 'exec', component: () => import('../components/terminal/ExecView.vue'), meta: { title: 'Terminal' } },
  { path: '/logs/:namespace/pod/:pod', name: 'pod-logs', component: () => import('../components/logs/LogsView.vue'), meta: { title: 'Logs' } },
  { path: '/logs/:namespace/:kind/:name', name: 'workload-logs', component: () => import('../components/logs/LogsView.vue'), meta: { title: 'Logs' } },
];

/**
 * Metrics: CPU/memory charts from metrics.k8s.io — a Usage panel on node details (against
 * allocatable, requests, limits) and on running pods' details (per container), and the Metrics
 * workbench page (kubectl top nodes/pods with trends). Components load lazily.
 */
import { defineAsyncComponent } from 'vue';
import type { Extension } from '../../extensions/types';

const METRICS_PATH = '/metrics';

export const extension: Extension = {
  routes: [{ path: METRICS_PATH, name: 'metrics', component: () => import('./MetricsView.vue'), meta: { title: 'Metrics' } }],
  detailsPanels: [
    {
      id: 'metrics.node',
      order: 30,
      applies: (ctx) => ctx.resource.group === '' && ctx.resource.resource === 'nodes',
      component: defineAsyncComponent(() => import('./NodeMetricsPanel.vue')),
    },
    {
      id: 'metrics.pod',
      order: 40,
      applies: (ctx) => {
        if (ctx.resource.group !== '' || ctx.resource.resource !== 'pods') return false;
        const o = ctx.obj as { spec?: { nodeName?: string }; status?: { phase?: string } };
        return !!o.spec?.nodeName && o.status?.phase === 'Running';
      },
      component: defineAsyncComponent(() => import('./PodMetricsPanel.vue')),
    },
  ],
  nav: [{ id: 'metrics', label: 'Metrics', to: METRICS_PATH, order: 40 }],
  commands: [{ id: 'metrics.open', title: 'Metrics (kubectl top)', group: 'Go to', run: ({ router }) => void router.push(METRICS_PATH) }],
};

/**
 * Scheduling: "why Pending / why here" on a pod's details (the scheduler's decision annotation,
 * explained), the Pending pods page and the command that opens it. Components load lazily.
 */
import { defineAsyncComponent } from 'vue';
import type { Extension } from '../../extensions/types';
import { PENDING_ROUTE, routes } from './routes';

export const extension: Extension = {
  routes,
  detailsPanels: [
    {
      id: 'scheduling',
      order: 20,
      applies: (ctx) => ctx.resource.group === '' && ctx.resource.resource === 'pods',
      component: defineAsyncComponent(() => import('./SchedulingPanel.vue')),
    },
  ],
  commands: [{ id: 'scheduling.pending', title: 'Explain pending pods', group: 'View', run: ({ router }) => void router.push(PENDING_ROUTE) }],
};

/**
 * Describe: a "Summary" panel (the facts `kubectl describe` leads with, per kind) first on the
 * details page of the common kinds, and a "Related" panel linking the objects one owns (and a
 * Service's endpoint pods, a Node's pods).
 */
import { defineAsyncComponent } from 'vue';
import type { Extension } from '../../extensions/types';
import { hasRelated } from './related';
import { hasSummary } from './summary';

export const extension: Extension = {
  detailsPanels: [
    { id: 'describe-summary', order: 5, applies: (ctx) => hasSummary(ctx.resource), component: defineAsyncComponent(() => import('./SummaryPanel.vue')) },
    { id: 'describe-related', order: 15, applies: (ctx) => hasRelated(ctx.resource), component: defineAsyncComponent(() => import('./RelatedPanel.vue')) },
  ],
};

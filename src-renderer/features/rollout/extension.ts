/**
 * Rollouts and workload actions: the "Rollout" panel on Deployments, StatefulSets and DaemonSets
 * (status, history, diff, undo, pause/resume, restart), and the "Scale" and "Set image" buttons
 * on the kinds they apply to; the palette's "Scale…" and "Restart rollout…" (the details page on
 * screen, or a picked workload). Components load lazily (CodeMirror only with a diff).
 */
import { defineAsyncComponent } from 'vue';
import type { Extension } from '../../extensions/types';
import { commands } from './commands';
import RolloutCommandGate from './RolloutCommandGate.vue';
import { canScale, canSetImage, hasRollout } from './kinds';

export const extension: Extension = {
  detailsPanels: [
    {
      id: 'rollout',
      order: 20,
      applies: (ctx) => !!ctx.namespace && hasRollout(ctx.resource),
      component: defineAsyncComponent(() => import('./RolloutPanel.vue')),
    },
  ],
  detailsActions: [
    {
      id: 'rollout-scale',
      order: 30,
      applies: (ctx) => !!ctx.namespace && canScale(ctx.resource),
      component: defineAsyncComponent(() => import('./ScaleAction.vue')),
    },
    {
      id: 'rollout-set-image',
      order: 31,
      applies: (ctx) => !!ctx.namespace && canSetImage(ctx.resource),
      component: defineAsyncComponent(() => import('./SetImageAction.vue')),
    },
  ],
  commands,
  overlays: [RolloutCommandGate],
};

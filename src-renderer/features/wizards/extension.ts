/**
 * Wizards: Create Deployment (`/create/deployment`; a button on the Deployments list, a sidebar
 * entry, a command) and Expose (`/expose/:namespace/:name`; a button on a Deployment's details),
 * plus a live Pods panel on Deployments so a new one is seen reaching Running.
 */
import { defineAsyncComponent } from 'vue';
import type { Extension } from '../../extensions/types';
import CreateDeploymentButton from './CreateDeploymentButton.vue';
import ExposeButton from './ExposeButton.vue';

const isDeployments = (r: { group: string; resource: string }) => r.group === 'apps' && r.resource === 'deployments';

export const extension: Extension = {
  routes: [
    { path: '/create/deployment', name: 'create-deployment', component: () => import('./DeploymentWizard.vue') },
    { path: '/expose/:namespace/:name', name: 'expose-deployment', component: () => import('./ExposeWizard.vue') },
  ],
  listActions: [{ id: 'wizards-create-deployment', order: 10, applies: (ctx) => isDeployments(ctx.resource), component: CreateDeploymentButton }],
  detailsActions: [{ id: 'wizards-expose', order: 30, applies: (ctx) => isDeployments(ctx.resource) && !!ctx.namespace, component: ExposeButton }],
  detailsPanels: [{ id: 'wizards-pods', order: 20, applies: (ctx) => isDeployments(ctx.resource) && !!ctx.namespace, component: defineAsyncComponent(() => import('./WorkloadPodsPanel.vue')) }],
  nav: [{ id: 'create-deployment', label: 'Create deployment', to: '/create/deployment', order: 20 }],
  commands: [
    {
      id: 'wizards.create-deployment',
      title: 'Create deployment…',
      group: 'Create',
      run: ({ router, namespace }) => router.push({ name: 'create-deployment', query: namespace ? { namespace } : {} }).then(() => undefined),
    },
  ],
};

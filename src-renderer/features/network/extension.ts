/**
 * Network: services in the browser, port-forwards and the host terminal.
 * - Services: "Open in browser" (LoadBalancer 127.0.0.1:<port>, NodePort 127.0.0.1:<nodePort>) on
 *   the details page, and every such URL of the namespace on the Services list.
 * - Port-forwards run by the cluster process (the gateway's /ui/port-forwards): "Port forward" and
 *   a panel on Pod and Service pages, the "Port forwards" workbench page.
 * - The host terminal (/terminal), in the sidebar only when the gateway offers it.
 * Components load lazily.
 */
import { defineAsyncComponent } from 'vue';
import type { DetailsContext, Extension } from '../../extensions/types';
import { PORT_FORWARDS_ROUTE, TERMINAL_ROUTE, routes } from './routes';
import { uiFeatures } from './store';

const isCore = (ctx: { resource: { group: string; resource: string } }, r: string) => ctx.resource.group === '' && ctx.resource.resource === r;
const forwardable = (ctx: DetailsContext) => !!ctx.namespace && (isCore(ctx, 'services') || isCore(ctx, 'pods'));

export const extension: Extension = {
  routes,
  detailsActions: [
    {
      id: 'network-open-in-browser',
      order: 40,
      applies: (ctx) => isCore(ctx, 'services') && ['LoadBalancer', 'NodePort'].includes(String((ctx.obj as { spec?: { type?: string } }).spec?.type)),
      component: defineAsyncComponent(() => import('./OpenInBrowser.vue')),
    },
    { id: 'network-port-forward', order: 41, applies: forwardable, component: defineAsyncComponent(() => import('./PortForwardButton.vue')) },
  ],
  detailsPanels: [{ id: 'network-port-forwards', order: 30, applies: forwardable, component: defineAsyncComponent(() => import('./PortForwardsPanel.vue')) }],
  listActions: [{ id: 'network-service-urls', order: 40, applies: (ctx) => isCore(ctx, 'services'), component: defineAsyncComponent(() => import('./ServiceUrlsMenu.vue')) }],
  nav: [
    { id: 'port-forwards', label: 'Port forwards', to: PORT_FORWARDS_ROUTE, order: 40 },
    { id: 'host-terminal', label: 'Terminal', to: TERMINAL_ROUTE, order: 41, visible: () => uiFeatures()?.hostTerminal === true },
  ],
  commands: [
    { id: 'network.port-forwards', title: 'Go to Port forwards', group: 'Go to', run: ({ router }) => void router.push(PORT_FORWARDS_ROUTE) },
    { id: 'network.terminal', title: 'Open the host terminal', group: 'Go to', run: ({ router }) => void router.push(TERMINAL_ROUTE) },
  ],
};

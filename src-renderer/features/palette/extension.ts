/**
 * Keyboard shortcuts and the command palette (Ctrl/⌘+K): every feature's commands, "Go to" any
 * served kind, the objects of the list on screen; "g p"-style sequences from `Command.keys`; "?"
 * shows them all.
 */
import type { Command, Extension } from '../../extensions/types';
import { useUiStore } from '../../stores/ui';
import { listRoute, type ResourceRef } from '../../util/paths';
import ShortcutsHost from './ShortcutsHost.vue';
import { openHelp, openPalette } from './state';

const go = (id: string, title: string, keys: string, r: ResourceRef): Command => ({ id: `go.${id}`, title, group: 'Go to', keys, run: ({ router }) => void router.push(listRoute(r)) });

export const extension: Extension = {
  overlays: [ShortcutsHost],
  commands: [
    { id: 'palette.open', title: 'Command palette', group: 'Help', keys: 'mod+k', run: openPalette },
    { id: 'palette.help', title: 'Keyboard shortcuts', group: 'Help', keys: '?', run: openHelp },
    { id: 'go.overview', title: 'Overview', group: 'Go to', keys: 'g o', run: ({ router }) => void router.push('/') },
    go('pods', 'Pods', 'g p', { group: '', version: 'v1', resource: 'pods' }),
    go('deployments', 'Deployments', 'g d', { group: 'apps', version: 'v1', resource: 'deployments' }),
    go('services', 'Services', 'g s', { group: '', version: 'v1', resource: 'services' }),
    go('nodes', 'Nodes', 'g n', { group: '', version: 'v1', resource: 'nodes' }),
    go('events', 'Events', 'g e', { group: '', version: 'v1', resource: 'events' }),
    go('configmaps', 'ConfigMaps', 'g c', { group: '', version: 'v1', resource: 'configmaps' }),
    { id: 'theme.toggle', title: 'Switch light / dark theme', group: 'View', run: () => useUiStore().toggleTheme() },
  ],
};

/**
 * What a feature (`src-renderer/features/<name>/extension.ts`) may add to the shell without
 * editing it: routes, buttons and panels on a details page, buttons on a list page, sidebar
 * entries, command-palette commands, top-bar widgets and app-wide overlays (dialogs, toasts).
 * Every component gets its context as props (named below); it imports the API and stores itself.
 */
import type { Component } from 'vue';
import type { RouteLocationRaw, RouteRecordRaw, Router } from 'vue-router';
import type { ApiResource, KubeObject } from '../api/types';
import type { ResourceRef } from '../util/paths';

/** The object a details page shows (live: a new object each time it changes). */
export interface DetailsContext {
  resource: ResourceRef;
  /** Discovery's entry for the resource (verbs, kind, namespaced), when loaded. */
  api?: ApiResource;
  kind: string;
  namespace?: string;
  name: string;
  obj: KubeObject;
}

/** A component on a details page; it gets the prop `ctx: DetailsContext`. */
export interface DetailsSlot {
  id: string;
  /** Lower first; built-ins leave gaps of 10. */
  order?: number;
  applies(ctx: DetailsContext): boolean;
  component: Component;
}

/** The list page being shown. */
export interface ListContext {
  resource: ResourceRef;
  api?: ApiResource;
  /** The namespace switcher's value ('' = all namespaces); '' for cluster-scoped kinds. */
  namespace: string;
}

/** A component in a list page's header (next to its title); it gets the prop `ctx: ListContext`. */
export interface ListSlot {
  id: string;
  order?: number;
  applies(ctx: ListContext): boolean;
  component: Component;
}

/** A sidebar entry in the "Workbench" section, under Overview. */
export interface NavItem {
  id: string;
  label: string;
  to: RouteLocationRaw;
  order?: number;
  /** Shown only when true (e.g. the host terminal when the server offers it). */
  visible?: () => boolean;
}

export interface CommandContext {
  router: Router;
  /** The namespace switcher's value ('' = all namespaces). */
  namespace: string;
}

/** A command-palette entry (Ctrl/⌘+K); `keys` is a global shortcut such as "g p" or "ctrl+shift+a". */
export interface Command {
  id: string;
  title: string;
  /** Palette section: "Go to", "Create", "View", … */
  group?: string;
  keys?: string;
  run(ctx: CommandContext): void | Promise<void>;
}

export interface Extension {
  routes?: RouteRecordRaw[];
  /** Buttons in a details page's header (next to Logs/Terminal). */
  detailsActions?: DetailsSlot[];
  /** Panels on a details page, between the summary/conditions and the events. */
  detailsPanels?: DetailsSlot[];
  listActions?: ListSlot[];
  nav?: NavItem[];
  commands?: Command[];
  /** Widgets in the top bar, left of the connection badge (no props). */
  topbar?: Component[];
  /** Mounted once at the app's root (dialogs, toasts, palette; no props). */
  overlays?: Component[];
}

/** Merges feature extensions (pure: unit-tested without Vite's glob). */
import type { Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Command, DetailsSlot, Extension, ListSlot, NavItem } from './types';

export interface MergedExtensions {
  routes: RouteRecordRaw[];
  detailsActions: DetailsSlot[];
  detailsPanels: DetailsSlot[];
  listActions: ListSlot[];
  nav: NavItem[];
  commands: Command[];
  topbar: Component[];
  overlays: Component[];
}

const byOrder = <T extends { order?: number }>(a: T, b: T): number => (a.order ?? 100) - (b.order ?? 100);

/** Modules by file name → one set of contributions, each ordered (stable: file order breaks ties). */
export function mergeExtensions(mods: Record<string, { extension?: Extension }>): MergedExtensions {
  const exts = Object.keys(mods)
    .sort()
    .map((f) => mods[f].extension)
    .filter((e): e is Extension => !!e);
  const all = <K extends keyof Extension>(k: K): NonNullable<Extension[K]> extends (infer T)[] ? T[] : never =>
    exts.flatMap((e) => (e[k] ?? []) as unknown[]) as never;
  const ids = new Set<string>();
  for (const c of all('commands')) {
    if (ids.has(c.id)) throw new Error(`two commands with the id ${c.id}`);
    ids.add(c.id);
  }
  return {
    routes: all('routes'),
    detailsActions: all('detailsActions').sort(byOrder),
    detailsPanels: all('detailsPanels').sort(byOrder),
    listActions: all('listActions').sort(byOrder),
    nav: all('nav').sort(byOrder),
    commands: all('commands'),
    topbar: all('topbar'),
    overlays: all('overlays'),
  };
}

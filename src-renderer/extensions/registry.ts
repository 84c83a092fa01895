/**
 * Every feature's `extension.ts` (`src-renderer/features/<name>/extension.ts`, eager), merged in
 * folder-name order. Features register here instead of editing the shell's views.
 */
import type { Command, DetailsContext, DetailsSlot, Extension, ListContext, ListSlot, NavItem } from './types';
import { mergeExtensions, type MergedExtensions } from './merge';

const modules = import.meta.glob<{ extension?: Extension }>('../features/*/extension.ts', { eager: true });

export const extensions: MergedExtensions = mergeExtensions(modules);

export function detailsActions(ctx: DetailsContext): DetailsSlot[] {
  return extensions.detailsActions.filter((s) => s.applies(ctx));
}
export function detailsPanels(ctx: DetailsContext): DetailsSlot[] {
  return extensions.detailsPanels.filter((s) => s.applies(ctx));
}
export function listActions(ctx: ListContext): ListSlot[] {
  return extensions.listActions.filter((s) => s.applies(ctx));
}
export function navItems(): NavItem[] {
  return extensions.nav.filter((n) => n.visible?.() ?? true);
}
export function commands(): Command[] {
  return extensions.commands;
}

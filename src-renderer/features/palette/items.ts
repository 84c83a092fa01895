/**
 * What the command palette offers: every feature's commands, "Go to <kind>" for each served kind
 * (the sidebar's catalog, with short names as keywords) and the objects of the list on screen.
 */
import type { Command } from '../../extensions/types';
import type { CatalogItem } from '../../util/catalog';

export interface PaletteItem {
  id: string;
  label: string;
  /** Shown on the right: the section ("Go to", "Commands", the kind of an object). */
  group: string;
  /** Secondary text (api group, namespace). */
  hint?: string;
  keys?: string;
  /** Other texts that find it (short names, the kind, the group). */
  keywords: string[];
  /** Added to the fuzzy score: breaks ties between equally good matches. */
  weight: number;
  /** A command to run, or a route to open. */
  command?: Command;
  to?: string;
}

export function commandItems(commands: readonly Command[]): PaletteItem[] {
  return commands.map((c) => ({ id: `cmd:${c.id}`, label: c.title, group: c.group ?? 'Commands', keys: c.keys, keywords: [c.group ?? '', c.id], weight: c.group === 'Go to' ? 8 : 0, command: c }));
}

/** One entry per served kind; kinds a "Go to" command already offers (same label) are left out. */
export function kindItems(catalog: readonly CatalogItem[], shortNames: (group: string, resource: string) => string[], route: (c: CatalogItem) => string, covered: ReadonlySet<string> = new Set()): PaletteItem[] {
  const out: PaletteItem[] = [];
  for (const c of catalog) {
    if (covered.has(c.label)) continue;
    const to = route(c);
    out.push({ id: `kind:${c.group}/${c.resource}`, label: c.label, group: 'Go to', hint: c.group || 'core', keywords: [...shortNames(c.group, c.resource), c.kind, c.resource], weight: 8, to });
  }
  return out;
}

export interface ListedObject {
  name: string;
  namespace?: string;
}

export function objectItems(objects: readonly ListedObject[], kind: string, route: (o: ListedObject) => string): PaletteItem[] {
  return objects.map((o) => ({ id: `obj:${o.namespace ?? ''}/${o.name}`, label: o.name, group: kind, hint: o.namespace, keywords: o.namespace ? [`${o.namespace}/${o.name}`] : [], weight: -4, to: route(o) }));
}

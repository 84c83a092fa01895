import { describe, expect, it } from 'vitest';
import { mergeExtensions } from '../../../src-renderer/extensions/merge';
import type { DetailsSlot, Extension } from '../../../src-renderer/extensions/types';

const slot = (id: string, order?: number): DetailsSlot => ({ id, order, applies: () => true, component: {} });

describe('mergeExtensions', () => {
  it('merges features in file order and sorts slots by order', () => {
    const a: Extension = { detailsPanels: [slot('a1', 50), slot('a2')], commands: [{ id: 'go', title: 'Go', run: () => {} }] };
    const b: Extension = { detailsPanels: [slot('b1', 10)], nav: [{ id: 'n', label: 'N', to: '/n' }] };
    const m = mergeExtensions({ '../features/b/extension.ts': { extension: b }, '../features/a/extension.ts': { extension: a } });
    expect(m.detailsPanels.map((s) => s.id)).toEqual(['b1', 'a1', 'a2']);
    expect(m.nav.map((n) => n.id)).toEqual(['n']);
    expect(m.commands.map((c) => c.id)).toEqual(['go']);
    expect(m.routes).toEqual([]);
  });
  it('refuses two commands with one id', () => {
    const e: Extension = { commands: [{ id: 'x', title: 'X', run: () => {} }] };
    expect(() => mergeExtensions({ a: { extension: e }, b: { extension: e } })).toThrow(/two commands with the id x/);
  });
  it('skips modules without an extension', () => {
    expect(mergeExtensions({ a: {} }).overlays).toEqual([]);
  });
});

/**
 * Find in the editor (the search bar of YamlEditor.vue): every match of the query highlighted,
 * the next/previous one selected and scrolled to. Case-insensitive plain text.
 * (@codemirror/search is not among the installed packages.)
 */
import { EditorSelection, StateEffect, StateField, type EditorState, type Extension } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';

export const setSearchQuery = StateEffect.define<string>();

const matchMark = Decoration.mark({ class: 'cm-yaml-match' });
const MAX_MATCHES = 5000;

/** [from, to) of every match (at most MAX_MATCHES). */
export function findMatches(text: string, query: string): [number, number][] {
  const out: [number, number][] = [];
  if (!query) return out;
  const hay = text.toLowerCase();
  const needle = query.toLowerCase();
  for (let i = hay.indexOf(needle); i >= 0 && out.length < MAX_MATCHES; i = hay.indexOf(needle, i + needle.length)) out.push([i, i + needle.length]);
  return out;
}

interface SearchState {
  query: string;
  deco: DecorationSet;
}

function decorate(state: EditorState, query: string): SearchState {
  const ranges = findMatches(state.doc.toString(), query).map(([a, b]) => matchMark.range(a, b));
  return { query, deco: Decoration.set(ranges) };
}

const searchField = StateField.define<SearchState>({
  create: () => ({ query: '', deco: Decoration.none }),
  update(v, tr) {
    for (const e of tr.effects) if (e.is(setSearchQuery)) return decorate(tr.state, e.value);
    return tr.docChanged && v.query ? decorate(tr.state, v.query) : v;
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.deco),
});

export function searchHighlight(): Extension {
  return searchField;
}

/**
 * Selects the next (or previous) match after the selection — or, `fromSelection` (the query was
 * just typed), the first one starting at the selection or after it; returns [index, count]
 * (index 1-based, 0 when none).
 */
export function selectMatch(view: EditorView, query: string, backwards = false, fromSelection = false): [number, number] {
  const matches = findMatches(view.state.doc.toString(), query);
  if (!matches.length) return [0, 0];
  const sel = view.state.selection.main;
  let i = backwards ? matches.findLastIndex(([a]) => a < sel.from) : matches.findIndex(([a]) => a > sel.from || (a === sel.from && (sel.empty || fromSelection)));
  if (i < 0) i = backwards ? matches.length - 1 : 0;
  const [from, to] = matches[i];
  view.dispatch({ selection: EditorSelection.single(from, to), effects: EditorView.scrollIntoView(from, { y: 'center' }) });
  return [i + 1, matches.length];
}

/**
 * Undo/redo for the YAML editors (Mod-z, Mod-Shift-z / Mod-y): inverted change sets, typing
 * within half a second grouped into one step. (@codemirror/commands, whose history this
 * stands in for, is not among the installed packages.)
 */
import { Annotation, StateEffect, StateField, Transaction, type ChangeSet, type EditorSelection, type Extension } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';

interface Entry {
  /** Undoes the step: applies to the document after it. */
  changes: ChangeSet;
  selection: EditorSelection;
}

interface History {
  done: Entry[];
  undone: Entry[];
  lastTime: number;
}

const MAX = 200;
const GROUP_MS = 500;
const fromHistory = Annotation.define<'undo' | 'redo'>();
/** Forgets every step (the document was replaced from outside). */
export const resetHistory = StateEffect.define<null>();

const historyField = StateField.define<History>({
  create: () => ({ done: [], undone: [], lastTime: 0 }),
  update(h, tr) {
    if (tr.effects.some((e) => e.is(resetHistory))) return { done: [], undone: [], lastTime: 0 };
    if (!tr.docChanged) return h;
    const inverse: Entry = { changes: tr.changes.invert(tr.startState.doc), selection: tr.startState.selection };
    const from = tr.annotation(fromHistory);
    if (from === 'undo') return { done: h.done.slice(0, -1), undone: [...h.undone, inverse], lastTime: 0 };
    if (from === 'redo') return { done: [...h.done, inverse], undone: h.undone.slice(0, -1), lastTime: 0 };
    if (tr.annotation(Transaction.addToHistory) === false) return { done: [], undone: [], lastTime: 0 };
    const now = Date.now();
    const prev = h.done[h.done.length - 1];
    if (prev && now - h.lastTime < GROUP_MS && tr.isUserEvent('input.type')) {
      return { done: [...h.done.slice(0, -1), { changes: inverse.changes.compose(prev.changes), selection: prev.selection }], undone: [], lastTime: now };
    }
    return { done: [...h.done, inverse].slice(-MAX), undone: [], lastTime: now };
  },
});

function step(view: EditorView, which: 'undo' | 'redo'): boolean {
  const h = view.state.field(historyField, false);
  const list = which === 'undo' ? h?.done : h?.undone;
  const entry = list?.[list.length - 1];
  if (!entry) return false;
  view.dispatch({ changes: entry.changes, selection: entry.selection, annotations: fromHistory.of(which), scrollIntoView: true, userEvent: which });
  return true;
}

export const undo = (view: EditorView): boolean => step(view, 'undo');
export const redo = (view: EditorView): boolean => step(view, 'redo');

export function history(): Extension {
  return historyField;
}

/**
 * The extensions of the YAML editors: YAML language, line numbers, active line, bracket matching,
 * folding, indentation on Enter/Tab (two spaces), undo/redo, find, line messages, the app's theme.
 */
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, foldGutter, getIndentation, IndentContext, indentString, indentUnit } from '@codemirror/language';
import { EditorSelection, EditorState, type Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers } from '@codemirror/view';
import { history, redo, undo } from './history';
import { lineMarks } from './markers';
import { searchHighlight } from './search';
import { yamlTheme } from './theme';

/** Enter: a new line indented as the YAML structure asks (or as the current line). */
function newlineAndIndent(view: EditorView): boolean {
  const { state } = view;
  const changes = state.changeByRange((range) => {
    const line = state.doc.lineAt(range.from);
    const ctx = new IndentContext(state, { simulateBreak: range.from, simulateDoubleBreak: false });
    let indent = getIndentation(ctx, range.from);
    const current = /^ */.exec(line.text)?.[0].length ?? 0;
    if (indent === null) indent = current;
    const before = line.text.slice(0, range.from - line.from).trimEnd();
    if (before.endsWith(':') && indent <= current) indent = current + 2;
    const insert = '\n' + indentString(state, indent);
    return { changes: { from: range.from, to: range.to, insert }, range: EditorSelection.cursor(range.from + insert.length) };
  });
  view.dispatch(state.update(changes, { scrollIntoView: true, userEvent: 'input' }));
  return true;
}

/** Tab / Shift-Tab: indent or dedent the selected lines by two spaces (or insert two at the cursor). */
function indentBy(dir: 1 | -1) {
  return (view: EditorView): boolean => {
    const { state } = view;
    if (dir === 1 && state.selection.ranges.every((r) => r.empty)) {
      view.dispatch(state.replaceSelection('  '), { userEvent: 'input' });
      return true;
    }
    const changes = [];
    const seen = new Set<number>();
    for (const r of state.selection.ranges) {
      for (let pos = r.from; pos <= r.to; ) {
        const line = state.doc.lineAt(pos);
        if (!seen.has(line.number)) {
          seen.add(line.number);
          if (dir === 1) changes.push({ from: line.from, insert: '  ' });
          else {
            const n = Math.min(2, /^ */.exec(line.text)?.[0].length ?? 0);
            if (n) changes.push({ from: line.from, to: line.from + n });
          }
        }
        pos = line.to + 1;
      }
    }
    view.dispatch({ changes, userEvent: 'input' });
    return true;
  };
}

/** Mod-Home / Mod-End / Mod-a over the whole document (the DOM's own only knows the rendered lines). */
const docStart = (view: EditorView): boolean => (view.dispatch({ selection: EditorSelection.cursor(0), scrollIntoView: true }), true);
const docEnd = (view: EditorView): boolean => (view.dispatch({ selection: EditorSelection.cursor(view.state.doc.length), scrollIntoView: true }), true);
const selectAll = (view: EditorView): boolean => (view.dispatch({ selection: EditorSelection.single(0, view.state.doc.length) }), true);

export interface SetupOptions {
  readOnly?: boolean;
  /** Mod-f. */
  onFind?: () => void;
  onChange?: (text: string) => void;
}

export function editorExtensions(o: SetupOptions = {}): Extension[] {
  const keys = keymap.of([
    { key: 'Enter', run: newlineAndIndent },
    { key: 'Tab', run: indentBy(1), shift: indentBy(-1) },
    { key: 'Mod-z', run: undo, preventDefault: true },
    { key: 'Mod-Shift-z', run: redo, preventDefault: true },
    { key: 'Mod-y', run: redo, preventDefault: true },
    { key: 'Mod-Home', run: docStart, preventDefault: true },
    { key: 'Mod-End', run: docEnd, preventDefault: true },
    { key: 'Mod-a', run: selectAll, preventDefault: true },
    { key: 'Mod-f', run: () => (o.onFind ? (o.onFind(), true) : false), preventDefault: true },
  ]);
  return [
    lineNumbers(),
    foldGutter(),
    lineMarks(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    drawSelection(),
    highlightActiveLine(),
    bracketMatching(),
    EditorState.tabSize.of(2),
    indentUnit.of('  '),
    yaml(),
    history(),
    searchHighlight(),
    keys,
    yamlTheme(),
    EditorState.readOnly.of(!!o.readOnly),
    EditorView.editable.of(!o.readOnly),
    EditorView.contentAttributes.of({ 'aria-label': 'YAML', spellcheck: 'false', autocorrect: 'off', autocapitalize: 'off' }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) o.onChange?.(u.state.doc.toString());
    }),
  ];
}

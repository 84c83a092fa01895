/**
 * The extensions of the YAML editors: YAML language, line numbers, active line, bracket matching,
 * folding, YAML-aware Enter, @codemirror/commands' keys (Tab indents two spaces, undo/redo
 * history), @codemirror/search's find (with cm/find-panel.ts) and selection matches, line
 * messages, the app's theme.
 */
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, foldGutter, getIndentation, IndentContext, indentString, indentUnit } from '@codemirror/language';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { Compartment, EditorSelection, EditorState, type Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers } from '@codemirror/view';
import { createFindPanel } from './find-panel';
import { lineMarks } from './markers';
import { yamlTheme } from './theme';

/**
 * Enter: a new line indented as the YAML structure asks (or as the current line), one step deeper
 * after `key:` (@codemirror/commands' insertNewlineAndIndent stays at the key's column there).
 */
function newlineAndIndent(view: EditorView): boolean {
  const { state } = view;
  if (state.readOnly) return false;
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

export interface SetupOptions {
  readOnly?: boolean;
  onChange?: (text: string) => void;
}

const historyField = new Compartment();

/**
 * Replaces the whole text without an undo step and forgets the earlier ones (a freshly loaded
 * object must not undo back into the previous one): history off, text in, history on again.
 */
export function loadText(view: EditorView, text: string): void {
  view.dispatch({ effects: historyField.reconfigure([]) });
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: EditorSelection.cursor(0), scrollIntoView: true });
  view.dispatch({ effects: historyField.reconfigure(history()) });
}

export function editorExtensions(o: SetupOptions = {}): Extension[] {
  return [
    lineNumbers(),
    foldGutter(),
    lineMarks(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    drawSelection(),
    highlightActiveLine(),
    bracketMatching(),
    highlightSelectionMatches(),
    EditorState.tabSize.of(2),
    indentUnit.of('  '),
    yaml(),
    historyField.of(history()),
    search({ top: true, createPanel: createFindPanel }),
    // Tab indents (YAML is indentation); Escape then Tab leaves the editor, as CodeMirror documents.
    keymap.of([{ key: 'Enter', run: newlineAndIndent }, ...searchKeymap, ...historyKeymap, indentWithTab, ...defaultKeymap]),
    yamlTheme(),
    EditorState.readOnly.of(!!o.readOnly),
    EditorView.editable.of(!o.readOnly),
    EditorView.contentAttributes.of({ 'aria-label': 'YAML', spellcheck: 'false', autocorrect: 'off', autocapitalize: 'off' }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) o.onChange?.(u.state.doc.toString());
    }),
  ];
}

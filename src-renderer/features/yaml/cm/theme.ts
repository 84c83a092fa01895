/**
 * The editors' look from the app's CSS variables (style.css), so one theme follows light and dark:
 * surfaces, gutters, selection, YAML token colours, line messages, read-only lines, search matches,
 * the find panel (cm/find-panel.ts) and @codemirror/merge's changed/inserted/deleted lines.
 */
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

const mix = (color: string, pct: number): string => `color-mix(in srgb, var(${color}) ${pct}%, transparent)`;

export const editorTheme = EditorView.theme({
  '&': { backgroundColor: 'var(--surface)', color: 'var(--text)', fontSize: '12.5px', height: '100%' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--accent)', padding: '8px 0' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--accent)', borderLeftWidth: '2px' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: mix('--accent', 22) + ' !important' },
  '.cm-gutters': { backgroundColor: 'var(--surface-2)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-lineNumbers .cm-gutterElement': { padding: '0 10px 0 14px', minWidth: '44px' },
  '.cm-activeLine': { backgroundColor: mix('--accent', 5) },
  '.cm-activeLineGutter': { backgroundColor: mix('--accent', 10), color: 'var(--text)' },
  '.cm-matchingBracket': { backgroundColor: mix('--accent', 20), outline: 'none' },
  // @codemirror/search: matches, the current one, the selection's other occurrences, the find panel.
  '.cm-searchMatch': { backgroundColor: mix('--warn', 30), borderRadius: '2px' },
  '.cm-searchMatch.cm-searchMatch-selected': { backgroundColor: mix('--warn', 55), outline: '1px solid var(--warn)' },
  '.cm-selectionMatch': { backgroundColor: mix('--accent', 14), borderRadius: '2px' },
  '.cm-panels': { backgroundColor: 'var(--surface-2)', color: 'var(--text)' },
  '.cm-panels.cm-panels-top': { borderBottom: '1px solid var(--border)' },
  '.cm-yaml-find': { display: 'flex', flexDirection: 'column', gap: '6px', padding: '6px 8px', fontFamily: 'var(--font)', fontSize: '12.5px' },
  '.cm-yaml-findRow': { display: 'flex', alignItems: 'center', gap: '6px' },
  '.cm-yaml-findField': { height: '28px', flex: '0 1 260px', fontSize: '12.5px' },
  '.cm-yaml-findBtn': { height: '28px', padding: '0 9px', fontSize: '12.5px' },
  '.cm-yaml-findCount': { minWidth: '72px', color: 'var(--muted)', fontVariantNumeric: 'tabular-nums' },
  '.cm-yaml-findOpt': { display: 'inline-flex', alignItems: 'center', gap: '4px', height: '28px', padding: '0 8px', borderRadius: '8px', border: '1px solid var(--border)', background: 'var(--surface)', color: 'var(--muted)', fontFamily: 'var(--mono)', fontSize: '12px', cursor: 'pointer', userSelect: 'none' },
  '.cm-yaml-findOpt:has(input:checked)': { color: 'var(--accent)', borderColor: 'var(--accent)', background: 'var(--accent-soft)' },
  '.cm-yaml-findOpt input': { margin: '0', accentColor: 'var(--accent)' },
  '.cm-yaml-findClose': { marginLeft: 'auto' },
  '.cm-yaml-markGutter .cm-gutterElement': { width: '18px', display: 'flex', alignItems: 'center', justifyContent: 'center' },
  '.cm-yaml-gutterMark': { display: 'inline-flex', alignItems: 'center', justifyContent: 'center', width: '14px', height: '14px', borderRadius: '50%', fontSize: '10px', fontWeight: '700', fontFamily: 'var(--font)', cursor: 'default' },
  '.cm-yaml-gutterMark--error': { backgroundColor: 'var(--bad)', color: 'var(--surface)' },
  '.cm-yaml-gutterMark--ok': { backgroundColor: 'var(--ok)', color: 'var(--surface)' },
  '.cm-yaml-line--error': { backgroundColor: mix('--bad', 10) },
  '.cm-yaml-line--ok': { backgroundColor: mix('--ok', 7) },
  '.cm-yaml-msgWrap': { padding: '2px 12px 6px 6px' },
  '.cm-yaml-msg': { padding: '5px 10px', borderRadius: '6px', fontFamily: 'var(--font)', fontSize: '12.5px', lineHeight: '1.45', borderLeft: '3px solid' },
  '.cm-yaml-msg--error': { backgroundColor: 'var(--bad-soft)', color: 'var(--bad)', borderColor: 'var(--bad)' },
  '.cm-yaml-msg--ok': { backgroundColor: 'var(--ok-soft)', color: 'var(--ok)', borderColor: 'var(--ok)' },
  '.cm-yaml-readonlyLine': { backgroundColor: 'var(--surface-3)' },
  // @codemirror/merge
  '&.cm-merge-a .cm-changedLine, .cm-deletedChunk': { backgroundColor: mix('--bad', 10) + ' !important' },
  '&.cm-merge-b .cm-changedLine, .cm-inlineChangedLine': { backgroundColor: mix('--ok', 12) + ' !important' },
  '&.cm-merge-a .cm-changedText, .cm-deletedChunk .cm-deletedText': { background: mix('--bad', 28) + ' !important', borderRadius: '2px' },
  '&.cm-merge-b .cm-changedText': { background: mix('--ok', 30) + ' !important', borderRadius: '2px' },
  '.cm-deletedChunk': { paddingLeft: '0 !important' },
  '.cm-collapsedLines': { color: 'var(--muted) !important', background: 'var(--surface-2) !important', fontFamily: 'var(--font)', fontSize: '12px' },
  // Its default ⦚ marks are missing from common fonts.
  '.cm-collapsedLines:before, .cm-collapsedLines:after': { content: '"⋯"' },
  '&.cm-merge-a .cm-changedLineGutter, .cm-deletedLineGutter': { background: 'var(--bad) !important' },
  '&.cm-merge-b .cm-changedLineGutter': { background: 'var(--ok) !important' },
});

const highlight = HighlightStyle.define([
  { tag: t.definition(t.propertyName), color: 'var(--accent)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--ok)' },
  { tag: t.content, color: 'var(--text)' },
  { tag: [t.lineComment, t.comment], color: 'var(--muted)', fontStyle: 'italic' },
  { tag: t.meta, color: 'var(--warn)', fontWeight: '600' },
  { tag: [t.labelName, t.typeName, t.keyword], color: 'var(--warn)' },
  { tag: [t.separator, t.punctuation, t.squareBracket, t.brace], color: 'var(--muted)' },
]);

export function yamlTheme(): Extension {
  return [editorTheme, syntaxHighlighting(highlight)];
}

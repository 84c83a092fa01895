/**
 * Messages at lines of the editor: a marker in a gutter, the line tinted, and the messages in a
 * block under the line (API field errors, YAML syntax errors, per-document apply results); and
 * lines shown as read-only (the object's status, which the server ignores on update). Both follow
 * the text as it is edited.
 */
import { RangeSet, StateEffect, StateField, type EditorState, type Extension } from '@codemirror/state';
import { Decoration, EditorView, GutterMarker, WidgetType, gutter, type DecorationSet } from '@codemirror/view';

export type MarkTone = 'error' | 'ok';

export interface LineMark {
  /** 1-based. */
  line: number;
  message: string;
  tone?: MarkTone;
}

export const setLineMarks = StateEffect.define<LineMark[]>();
/** 1-based inclusive line ranges shown as read-only. */
export const setReadonlyLines = StateEffect.define<[number, number][]>();

class MessagesWidget extends WidgetType {
  constructor(
    readonly messages: string[],
    readonly tone: MarkTone,
  ) {
    super();
  }
  eq(other: MessagesWidget): boolean {
    return other.tone === this.tone && other.messages.join('\n') === this.messages.join('\n');
  }
  toDOM(): HTMLElement {
    // Block widgets must not have vertical margins (CodeMirror measures their border box): the
    // spacing is the outer element's padding.
    const outer = document.createElement('div');
    outer.className = 'cm-yaml-msgWrap';
    const box = document.createElement('div');
    box.className = `cm-yaml-msg cm-yaml-msg--${this.tone}`;
    box.setAttribute('data-testid', 'editor-line-message');
    for (const m of this.messages) {
      const line = document.createElement('div');
      line.textContent = m;
      box.appendChild(line);
    }
    outer.appendChild(box);
    return outer;
  }
}

class ToneMarker extends GutterMarker {
  constructor(
    readonly tone: MarkTone,
    readonly title: string,
  ) {
    super();
  }
  eq(other: ToneMarker): boolean {
    return other.tone === this.tone && other.title === this.title;
  }
  toDOM(): Node {
    const s = document.createElement('span');
    s.className = `cm-yaml-gutterMark cm-yaml-gutterMark--${this.tone}`;
    s.title = this.title;
    s.textContent = this.tone === 'error' ? '!' : '✓';
    return s;
  }
}

interface Marks {
  deco: DecorationSet;
  gutter: RangeSet<GutterMarker>;
}

function build(state: EditorState, marks: LineMark[]): Marks {
  const byLine = new Map<number, LineMark[]>();
  for (const m of marks) {
    const line = Math.min(Math.max(1, m.line), state.doc.lines);
    byLine.set(line, [...(byLine.get(line) ?? []), m]);
  }
  const deco = [];
  const gut = [];
  for (const [n, ms] of [...byLine].sort((a, b) => a[0] - b[0])) {
    const line = state.doc.line(n);
    const tone: MarkTone = ms.some((m) => (m.tone ?? 'error') === 'error') ? 'error' : 'ok';
    deco.push(Decoration.line({ class: `cm-yaml-line--${tone}`, attributes: { 'data-mark-line': String(n) } }).range(line.from));
    deco.push(Decoration.widget({ widget: new MessagesWidget(ms.map((m) => m.message), tone), block: true, side: 1 }).range(line.to));
    gut.push(new ToneMarker(tone, ms.map((m) => m.message).join('\n')).range(line.from));
  }
  return { deco: Decoration.set(deco, true), gutter: RangeSet.of(gut, true) };
}

const marksField = StateField.define<Marks>({
  create: () => ({ deco: Decoration.none, gutter: RangeSet.empty }),
  update(v, tr) {
    for (const e of tr.effects) if (e.is(setLineMarks)) return build(tr.state, e.value);
    return tr.docChanged ? { deco: v.deco.map(tr.changes), gutter: v.gutter.map(tr.changes) } : v;
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.deco),
});

const readonlyLine = Decoration.line({ class: 'cm-yaml-readonlyLine' });

const readonlyField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(v, tr) {
    for (const e of tr.effects) {
      if (!e.is(setReadonlyLines)) continue;
      const out = [];
      for (const [a, b] of e.value) for (let n = Math.max(1, a); n <= Math.min(b, tr.state.doc.lines); n++) out.push(readonlyLine.range(tr.state.doc.line(n).from));
      return Decoration.set(out, true);
    }
    return tr.docChanged ? v.map(tr.changes) : v;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export function lineMarks(): Extension {
  return [
    marksField,
    readonlyField,
    gutter({ class: 'cm-yaml-markGutter', markers: (view) => view.state.field(marksField).gutter, initialSpacer: () => new ToneMarker('error', '') }),
  ];
}

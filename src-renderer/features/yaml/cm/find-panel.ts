/**
 * The find bar of the YAML editors, as @codemirror/search's panel (`search({ createPanel })`): the
 * package keeps the query, highlights the matches and runs next/previous/replace/close; this
 * panel adds what its own lacks for Kubernetes YAML: the match under the cursor counted ("2 of 5"),
 * incremental find (typing selects the first match from the cursor on), and the app's inputs and
 * buttons, so it reads as part of the app in light and dark theme.
 */
import { EditorSelection, type EditorState } from '@codemirror/state';
import { EditorView, runScopeHandlers, type Panel, type ViewUpdate } from '@codemirror/view';
import { closeSearchPanel, findNext, findPrevious, getSearchQuery, replaceAll, replaceNext, SearchQuery, setSearchQuery } from '@codemirror/search';

const MAX_COUNTED = 5000;

/** [index of the match the main selection covers (1-based, 0 when none), number of matches]. */
export function countMatches(state: EditorState, query: SearchQuery): [number, number] {
  if (!query.valid) return [0, 0];
  const { from, to } = state.selection.main;
  const cursor = query.getCursor(state);
  let n = 0;
  let at = 0;
  for (let m = cursor.next(); !m.done && n < MAX_COUNTED; m = cursor.next()) {
    n++;
    if (m.value.from === from && m.value.to === to) at = n;
  }
  return [at, n];
}

/** The first match starting at `pos` or after it (wrapping around), or null. */
export function firstMatchFrom(state: EditorState, query: SearchQuery, pos: number): { from: number; to: number } | null {
  if (!query.valid) return null;
  let m = query.getCursor(state, pos).next();
  if (m.done) m = query.getCursor(state).next();
  return m.done ? null : { from: m.value.from, to: m.value.to };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, attrs: Record<string, string> = {}, children: (Node | string)[] = []): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

class FindPanel implements Panel {
  readonly dom: HTMLElement;
  private query: SearchQuery;
  private readonly find: HTMLInputElement;
  private readonly replace: HTMLInputElement;
  private readonly caseBox: HTMLInputElement;
  private readonly reBox: HTMLInputElement;
  private readonly wordBox: HTMLInputElement;
  private readonly count: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;

  constructor(private readonly view: EditorView) {
    this.query = getSearchQuery(view.state);
    const field = (name: string, label: string, testid: string) =>
      el('input', { className: 'input cm-yaml-findField', name, placeholder: label, value: name === 'search' ? this.query.search : this.query.replace, spellcheck: false }, { 'aria-label': label, 'data-testid': testid, form: '' });
    const box = (name: string, checked: boolean) => el('input', { type: 'checkbox', name, checked }, { form: '' });
    const button = (text: string, title: string, run: () => void, cls = '') => el('button', { type: 'button', className: `btn cm-yaml-findBtn ${cls}`, title, onclick: run }, {}, [text]);
    const option = (input: HTMLInputElement, text: string, title: string) => el('label', { className: 'cm-yaml-findOpt', title }, {}, [input, text]);

    this.find = field('search', 'Find', 'editor-search');
    this.find.setAttribute('main-field', 'true');
    this.replace = field('replace', 'Replace', 'editor-replace');
    this.caseBox = box('case', this.query.caseSensitive);
    this.reBox = box('re', this.query.regexp);
    this.wordBox = box('word', this.query.wholeWord);
    this.count = el('span', { className: 'cm-yaml-findCount' }, { 'data-testid': 'editor-search-count', 'aria-live': 'polite' });
    this.prev = button('↑', 'Previous match (Shift+Enter)', () => findPrevious(view));
    this.next = button('↓', 'Next match (Enter)', () => findNext(view));

    this.find.addEventListener('input', () => this.commit(true));
    this.replace.addEventListener('input', () => this.commit(false));
    for (const b of [this.caseBox, this.reBox, this.wordBox]) b.addEventListener('change', () => this.commit(true));

    const findRow = el('div', { className: 'cm-yaml-findRow' }, {}, [
      this.find,
      this.count,
      this.prev,
      this.next,
      option(this.caseBox, 'Aa', 'Match case'),
      option(this.reBox, '.*', 'Regular expression'),
      option(this.wordBox, 'word', 'Whole word'),
      button('✕', 'Close (Esc)', () => closeSearchPanel(view), 'cm-yaml-findClose'),
    ]);
    const rows: HTMLElement[] = [findRow];
    if (!view.state.readOnly) {
      rows.push(
        el('div', { className: 'cm-yaml-findRow' }, {}, [
          this.replace,
          button('Replace', 'Replace this match (Enter)', () => replaceNext(view)),
          button('All', 'Replace every match', () => replaceAll(view)),
        ]),
      );
    }
    this.dom = el('div', { className: 'cm-yaml-find', onkeydown: (e: KeyboardEvent) => this.keydown(e) }, { role: 'search' }, rows);
    this.showCount();
  }

  mount(): void {
    this.find.select();
  }

  get top(): boolean {
    return true;
  }

  update(u: ViewUpdate): void {
    for (const tr of u.transactions)
      for (const e of tr.effects)
        if (e.is(setSearchQuery) && !e.value.eq(this.query)) {
          this.query = e.value;
          this.find.value = e.value.search;
          this.replace.value = e.value.replace;
          this.caseBox.checked = e.value.caseSensitive;
          this.reBox.checked = e.value.regexp;
          this.wordBox.checked = e.value.wholeWord;
        }
    if (u.docChanged || u.selectionSet || u.transactions.some((tr) => tr.effects.some((e) => e.is(setSearchQuery)))) this.showCount();
  }

  /** The fields into the package's query; `select`: (incremental find) select the first match from the cursor on. */
  private commit(select: boolean): void {
    const query = new SearchQuery({ search: this.find.value, replace: this.replace.value, caseSensitive: this.caseBox.checked, regexp: this.reBox.checked, wholeWord: this.wordBox.checked });
    if (query.eq(this.query)) return;
    this.query = query;
    const { state } = this.view;
    const m = select ? firstMatchFrom(state, query, state.selection.main.from) : null;
    this.view.dispatch({
      effects: m ? [setSearchQuery.of(query), EditorView.scrollIntoView(m.from, { y: 'center' })] : setSearchQuery.of(query),
      selection: m ? EditorSelection.single(m.from, m.to) : undefined,
    });
  }

  private keydown(e: KeyboardEvent): void {
    // searchKeymap's panel keys (Escape closes, Mod-f, F3, Mod-g…).
    if (runScopeHandlers(this.view, e, 'search-panel')) return e.preventDefault();
    if (e.key !== 'Enter' || e.isComposing) return;
    if (e.target === this.find) (e.shiftKey ? findPrevious : findNext)(this.view);
    else if (e.target === this.replace) replaceNext(this.view);
    else return;
    e.preventDefault();
  }

  private showCount(): void {
    const [at, n] = countMatches(this.view.state, this.query);
    this.count.textContent = !this.query.search ? '' : !this.query.valid ? 'invalid' : n === 0 ? 'no matches' : at ? `${at} of ${n}${n >= MAX_COUNTED ? '+' : ''}` : `${n}${n >= MAX_COUNTED ? '+' : ''} matches`;
    this.prev.disabled = this.next.disabled = n === 0;
  }
}

export const createFindPanel = (view: EditorView): Panel => new FindPanel(view);

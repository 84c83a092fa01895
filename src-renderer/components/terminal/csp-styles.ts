/**
 * xterm.js writes its theme and cell-size rules into `<style>` elements it creates at run time;
 * the gateway's CSP (`style-src 'self'`) refuses such inline styles. From the first terminal on,
 * `document.createElement('style')` makes a `<ks-style>` element instead: hidden, with the same
 * text, whose rules live in a constructed stylesheet adopted by the document (constructed
 * sheets are not inline styles: the CSP lets them through, as CodeMirror's style-mod does).
 * `sheet.insertRule` keeps working on it. No CSP relaxation, no violation reports.
 */

let installed = false;

class ConstructedStyle extends HTMLElement {
  readonly sheet = new CSSStyleSheet();
  private text: string | undefined;
  private readonly observer = new MutationObserver(() => this.sync());

  connectedCallback(): void {
    if (!this.hidden) this.hidden = true;
    this.observer.observe(this, { childList: true, characterData: true, subtree: true });
    this.sync();
    if (!document.adoptedStyleSheets.includes(this.sheet)) document.adoptedStyleSheets = [...document.adoptedStyleSheets, this.sheet];
  }

  disconnectedCallback(): void {
    this.observer.disconnect();
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== this.sheet);
  }

  private sync(): void {
    const t = this.textContent ?? '';
    if (t === this.text) return;
    this.text = t;
    if (t) this.sheet.replaceSync(t);
  }
}

export function installConstructedStyles(): void {
  if (installed) return;
  installed = true;
  if (!customElements.get('ks-style')) customElements.define('ks-style', ConstructedStyle);
  const create = document.createElement.bind(document);
  document.createElement = ((tag: string, options?: ElementCreationOptions) => (tag.toLowerCase() === 'style' ? create('ks-style') : create(tag, options))) as typeof document.createElement;
}

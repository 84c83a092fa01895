/**
 * xterm.js and CodeMirror write their styles into `<style>` elements they create at run time; the
 * gateway's CSP (`style-src 'self'`) refuses such inline styles. (CodeMirror's style-mod adopts a
 * constructed stylesheet only in a shadow root; in a document with a <head> it makes a <style> tag,
 * once per document, so this must run before the first editor mounts: every xterm/CodeMirror
 * component calls it.) From then on, `document.createElement('style')` makes a `<ks-style>`
 * element instead: hidden, with the same text, whose rules live in a constructed stylesheet adopted
 * by the document (constructed sheets are not inline styles: the CSP lets them through).
 * `sheet.insertRule` keeps working on it. No CSP relaxation, no violation reports.
 * Adopted sheets cascade after the page's own: where style-mod prepended its tag to lose ties
 * against the app's CSS, these win ties; the editors' themes use their own class names, so none
 * of the app's rules compete with them.
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
    this.sheet.replaceSync(t);
  }
}

export function installConstructedStyles(): void {
  if (installed) return;
  installed = true;
  if (!customElements.get('ks-style')) customElements.define('ks-style', ConstructedStyle);
  const create = document.createElement.bind(document);
  document.createElement = ((tag: string, options?: ElementCreationOptions) => (tag.toLowerCase() === 'style' ? create('ks-style') : create(tag, options))) as typeof document.createElement;
}

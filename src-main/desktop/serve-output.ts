/**
 * Parses what `kubesim serve` prints on stdout: `API server: https://…`, `UI: http://…` and,
 * once requests are served, `ready`. Pure, so it can be shared and tested without Electron.
 */
export interface ServeEndpoints {
  apiUrl: string;
  uiUrl: string;
}

export class ServeOutputParser {
  private buffer = '';
  apiUrl?: string;
  uiUrl?: string;
  ready = false;

  /** Feeds a chunk; returns the endpoints once `ready` has been seen with both URLs. */
  push(chunk: string): ServeEndpoints | undefined {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      this.line(this.buffer.slice(0, nl).replace(/\r$/, ''));
      this.buffer = this.buffer.slice(nl + 1);
    }
    return this.ready && this.apiUrl && this.uiUrl ? { apiUrl: this.apiUrl, uiUrl: this.uiUrl } : undefined;
  }

  private line(l: string): void {
    const api = /^\s*API server:\s*(https:\/\/\S+)/.exec(l);
    if (api) this.apiUrl = api[1];
    const ui = /^\s*UI:\s*(http:\/\/\S+)/.exec(l);
    if (ui) this.uiUrl = ui[1];
    if (l.trim() === 'ready') this.ready = true;
  }
}

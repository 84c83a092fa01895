/**
 * A terminal's line discipline for tty containers and `exec -it`: echoes typed keys, handles
 * backspace, Ctrl-C (drops the line) and Ctrl-D (end of file on an empty line), passes whole
 * lines to the program, and turns the program's `\n` into `\r\n`.
 */
import type { Input } from './streams';

export class LineDiscipline {
  private line = '';

  constructor(
    private readonly input: Input,
    private readonly echo: (chunk: string) => void,
  ) {}

  write(chunk: string): void {
    let echo = '';
    for (const ch of chunk) {
      if (ch === '\r' || ch === '\n') {
        echo += '\r\n';
        this.input.push(this.line + '\n');
        this.line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line) {
          this.line = this.line.slice(0, -1);
          echo += '\b \b';
        }
      } else if (ch === '\x03') {
        echo += '^C\r\n';
        this.line = '';
        this.input.push('\n');
      } else if (ch === '\x04') {
        if (!this.line) this.input.end();
      } else if (ch >= ' ' || ch === '\t') {
        this.line += ch;
        echo += ch;
      }
    }
    if (echo) this.echo(echo);
  }
}

/** Output through a tty: `\n` becomes `\r\n`. */
export function ttyText(chunk: string): string {
  return chunk.replace(/\r?\n/g, '\r\n');
}

/**
 * The three shells images ship, and how each words its errors: busybox/alpine `ash`,
 * Debian/Ubuntu `/bin/sh` (`dash`) and `bash`.
 */
import type { ShellSyntaxError } from './lexer';

export type ShellFlavor = 'ash' | 'dash' | 'bash';

export interface Where {
  /** `$0` of the shell (`sh`, `bash`, a script path). */
  name: string;
  line: number;
  /** Running `-c` (bash words line prefixes differently for scripts). */
  commandString: boolean;
}

/** The prefix of a diagnostic: `sh: `, `sh: 1: `, `bash: line 1: `. */
export function prefix(f: ShellFlavor, w: Where): string {
  if (f === 'dash') return `${w.name}: ${w.line}: `;
  if (f === 'bash') return w.commandString ? `${w.name}: line ${w.line}: ` : `${w.name}: line ${w.line}: `;
  return `${w.name}: `;
}

export function notFound(f: ShellFlavor, w: Where, cmd: string): string {
  return f === 'bash' ? `${prefix(f, w)}${cmd}: command not found\n` : `${prefix(f, w)}${cmd}: not found\n`;
}

export function syntaxError(f: ShellFlavor, w: Where, e: ShellSyntaxError): string {
  const tok = e.token;
  if (f === 'bash') {
    if (tok === undefined) return `${w.name}: -c: line ${w.line}: syntax error: unexpected end of file\n`;
    return `${w.name}: -c: line ${w.line}: syntax error near unexpected token \`${tok}'\n`;
  }
  if (f === 'dash') {
    if (tok === undefined) return `${w.name}: ${w.line}: Syntax error: end of file unexpected${e.expecting ? ` (expecting "${e.expecting}")` : ''}\n`;
    return `${w.name}: ${w.line}: Syntax error: "${tok}" unexpected${e.expecting ? ` (expecting "${e.expecting}")` : ''}\n`;
  }
  if (tok === undefined) return `${w.name}: syntax error: unexpected end of file${e.expecting ? ` (expecting "${e.expecting}")` : ''}\n`;
  return `${w.name}: syntax error: unexpected "${tok}"${e.expecting ? ` (expecting "${e.expecting}")` : ''}\n`;
}

export function cannotCreate(f: ShellFlavor, w: Where, path: string, code: string, message: string): string {
  const missing = code === 'ENOENT' || code === 'ENOTDIR';
  if (f === 'bash') return `${prefix(f, w)}${path}: ${missing ? 'No such file or directory' : message}\n`;
  if (f === 'dash') return `${prefix(f, w)}cannot create ${path}: ${missing ? 'Directory nonexistent' : message}\n`;
  return `${prefix(f, w)}can't create ${path}: ${missing ? 'nonexistent directory' : message}\n`;
}

export function cannotOpen(f: ShellFlavor, w: Where, path: string): string {
  if (f === 'bash') return `${prefix(f, w)}${path}: No such file or directory\n`;
  if (f === 'dash') return `${prefix(f, w)}cannot open ${path}: No such file\n`;
  return `${prefix(f, w)}can't open '${path}': No such file or directory\n`;
}

/** Exit status of a failed redirection or expansion in a non-interactive shell. */
export function failStatus(f: ShellFlavor): number {
  return f === 'bash' ? 1 : 2;
}

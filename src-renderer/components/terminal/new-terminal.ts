/**
 * The app's xterm.js terminal: one font, size and dark palette for every terminal (pod exec,
 * host shell); only the scrollback differs.
 */
import { Terminal } from '@xterm/xterm';

export function newTerminal(scrollback: number): Terminal {
  return new Terminal({
    cursorBlink: true,
    fontFamily: "ui-monospace, 'SF Mono', 'Cascadia Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
    fontSize: 13,
    lineHeight: 1.15,
    scrollback,
    theme: {
      background: '#0d1117',
      foreground: '#d7dde8',
      cursor: '#6b9bff',
      selectionBackground: '#2a3b5c',
      black: '#1b2330',
      brightBlack: '#5c667a',
      blue: '#6b9bff',
      brightBlue: '#8fb4ff',
      green: '#4cc38a',
      brightGreen: '#6fe0a8',
      red: '#ff7b72',
      brightRed: '#ffa198',
      yellow: '#f0b35a',
      brightYellow: '#f7cc84',
      cyan: '#56d4dd',
      magenta: '#d2a8ff',
    },
  });
}

/** The shell's syntax tree. Words stay raw (quotes included); expansion parses them. */
import type { HereDoc } from './lexer';

export interface Redir {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<&' | '<<' | '<<-' | '>|' | '<>';
  target: string;
  heredoc?: HereDoc;
}

export interface ListItem {
  node: AndOr;
  background: boolean;
}
export interface List {
  t: 'list';
  items: ListItem[];
}
export interface AndOr {
  t: 'andor';
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}
export interface Pipeline {
  t: 'pipeline';
  negate: boolean;
  commands: Command[];
}
export interface Simple {
  t: 'simple';
  /** Source line of the command's first word (for dash/bash diagnostics). */
  line?: number;
  assigns: string[];
  words: string[];
  redirs: Redir[];
}
export interface If {
  t: 'if';
  clauses: { cond: List; body: List }[];
  otherwise?: List;
  redirs: Redir[];
}
export interface Loop {
  t: 'loop';
  until: boolean;
  cond: List;
  body: List;
  redirs: Redir[];
}
export interface For {
  t: 'for';
  name: string;
  items?: string[];
  body: List;
  redirs: Redir[];
}
export interface Case {
  t: 'case';
  word: string;
  arms: { patterns: string[]; body: List }[];
  redirs: Redir[];
}
export interface Group {
  t: 'group' | 'subshell';
  body: List;
  redirs: Redir[];
}
export interface FuncDef {
  t: 'func';
  name: string;
  body: Command;
}
/** `[[ … ]]` (bash, busybox ash): words stay raw; `&&`, `||`, `(`, `)`, `<`, `>` come as operators. */
export interface Cond {
  t: 'cond';
  items: { word?: string; op?: string }[];
  redirs: Redir[];
}
export type Compound = If | Loop | For | Case | Group | Cond;
export type Command = Simple | Compound | FuncDef;

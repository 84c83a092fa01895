/**
 * A multi-document YAML text (`---` between documents) as kubectl reads a file: each non-empty
 * document with the lines it spans in the whole text and its syntax errors located at their
 * lines. Empty documents (nothing, or only comments) are skipped, as kubectl skips them.
 */
import { LineCounter, parseAllDocuments, type Document } from 'yaml';

/** A message at a 1-based line of the editor's text. */
export interface LineMessage {
  line: number;
  message: string;
}

export interface YamlDocument {
  /** 0-based among the non-empty documents. */
  index: number;
  /** 1-based lines of the whole text: the document's first (its `---` when it has one) and last. */
  startLine: number;
  endLine: number;
  doc: Document;
  /** The parsed value (undefined when there are syntax errors). */
  value: unknown;
  errors: LineMessage[];
}

export interface SplitResult {
  docs: YamlDocument[];
  lineCounter: LineCounter;
}

/** The first line of a yaml error message (the rest is a source excerpt the editor shows anyway). */
function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

export function splitDocuments(text: string): SplitResult {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: true });
  const all = Array.isArray(parsed) ? parsed : [];
  const docs: YamlDocument[] = [];
  for (const doc of all) {
    const errors = doc.errors.map((e) => ({ line: e.linePos?.[0].line ?? lineCounter.linePos(e.pos[0]).line, message: firstLine(e.message) }));
    let value: unknown;
    if (!errors.length) {
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        errors.push({ line: lineCounter.linePos(doc.range[0]).line, message: e instanceof Error ? e.message : String(e) });
      }
      if (value === null || value === undefined) continue;
    }
    const endOffset = Math.max(doc.range[0], doc.range[1] - 1);
    docs.push({ index: docs.length, startLine: lineCounter.linePos(doc.range[0]).line, endLine: lineCounter.linePos(endOffset).line, doc, value, errors });
  }
  return { docs, lineCounter };
}

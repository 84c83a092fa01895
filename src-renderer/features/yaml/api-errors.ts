/**
 * An API error of one document → messages at the document's lines: an Invalid (422) answer's
 * `details.causes[].field`, a server-side apply conflict's fields, and a strict decoding error's
 * `unknown field "spec.x"` each at the line of that field; anything else at the document's first
 * line.
 */
import type { Document, LineCounter } from 'yaml';
import type { LineMessage } from './documents';
import { fieldLocation } from './field-path';

/** The parts of api/kube.ts ApiError used here (kept structural so this stays pure). */
export interface ApiFailure {
  code: number;
  reason?: string;
  message: string;
  details?: { causes?: { field?: string; message?: string; reason?: string }[] };
}

export function apiErrorLines(err: ApiFailure, doc: Document, lineCounter: LineCounter, fallbackLine: number): LineMessage[] {
  const out: LineMessage[] = [];
  const at = (field: string): number => fieldLocation(doc, lineCounter, field)?.line ?? fallbackLine;
  for (const c of err.details?.causes ?? []) {
    if (!c.field) continue;
    const field = c.field.replace(/^\./, '');
    out.push({ line: at(field), message: `${field}: ${c.message ?? c.reason ?? 'invalid'}` });
  }
  if (out.length) return out;
  for (const m of err.message.matchAll(/unknown field "([^"]+)"/g)) out.push({ line: at(m[1]), message: `${m[1]}: unknown field` });
  if (out.length) return out;
  return [{ line: fallbackLine, message: err.message }];
}

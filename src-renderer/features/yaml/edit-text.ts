/**
 * The text `kubectl edit` opens (its header comment, then the object as YAML with sorted keys and
 * without metadata.managedFields; status kept — the server ignores it on update) and the object
 * read back from the edited text.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../../api/types';
import { splitDocuments, type LineMessage } from './documents';

export const EDIT_HEADER = [
  '# Please edit the object below. Lines beginning with a \'#\' will be ignored,',
  '# and an empty file will abort the edit. If an error occurs while saving this file will be',
  '# reopened with the relevant failures.',
  '#',
].join('\n');

/** The object as `kubectl get -o yaml` prints it (no managedFields, keys sorted). */
export function objectYaml(obj: KubeObject): string {
  const o = structuredClone(obj) as KubeObject & { metadata: { managedFields?: unknown } };
  delete o.metadata.managedFields;
  return stringify(o, { lineWidth: 0, sortMapEntries: true });
}

export function editText(obj: KubeObject): string {
  return `${EDIT_HEADER}\n${objectYaml(obj)}`;
}

export type EditedResult = { kind: 'empty' } | { kind: 'errors'; errors: LineMessage[] } | { kind: 'object'; object: KubeObject };

/**
 * The edited text as the object to PUT: one document, a mapping with the same apiVersion, kind
 * and name (kubectl edit refuses to change those), its resourceVersion the one the edit started
 * from (so a concurrent change answers 409 Conflict instead of being overwritten).
 */
export function parseEdited(text: string, original: KubeObject): EditedResult {
  const { docs } = splitDocuments(text);
  if (!docs.length) return { kind: 'empty' };
  const errors = docs.flatMap((d) => d.errors);
  if (errors.length) return { kind: 'errors', errors };
  if (docs.length > 1) return { kind: 'errors', errors: [{ line: docs[1].startLine, message: 'only one object can be edited here: remove the other documents' }] };
  const d = docs[0];
  const v = d.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { kind: 'errors', errors: [{ line: d.startLine, message: 'the object must be a mapping (apiVersion, kind, metadata, …)' }] };
  const obj = v as KubeObject;
  const problems: string[] = [];
  if (obj.apiVersion !== original.apiVersion) problems.push(`apiVersion may not change (was ${original.apiVersion})`);
  if (obj.kind !== original.kind) problems.push(`kind may not change (was ${original.kind})`);
  if (typeof obj.metadata !== 'object' || obj.metadata === null) problems.push('metadata is required');
  else if (obj.metadata.name !== original.metadata.name) problems.push(`metadata.name may not change (was ${original.metadata.name})`);
  if (problems.length) return { kind: 'errors', errors: problems.map((message) => ({ line: d.startLine, message })) };
  obj.metadata.resourceVersion = original.metadata.resourceVersion;
  return { kind: 'object', object: obj };
}

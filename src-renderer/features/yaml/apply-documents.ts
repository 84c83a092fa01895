/**
 * Applies every document of a YAML text in order, as `kubectl apply --server-side
 * --field-manager=kubesim-ui` would, and words each result as kubectl's (client-side) apply
 * prints it.
 *
 * Why server-side apply: it creates the object when it is absent and merges into it when present
 * (fields this manager set before and now left out are removed), without the
 * last-applied-configuration annotation client-side apply needs, so what the server stores is
 * exactly what the text says plus what others own. It is what `kubectl apply` users expect from a
 * paste-and-apply box. A field another manager owns with a different value is a conflict (409,
 * its fields at their lines) unless "force conflicts" takes it over, as `--force-conflicts` does.
 * Results are worded created / configured / unchanged (from whether the object existed and
 * whether its resourceVersion moved), which reads better than kubectl's `serverside-applied`.
 *
 * A syntax error anywhere stops the whole text before anything is sent (as kubectl, which cannot
 * decode the rest of the stream); other errors are per document and the rest still applies.
 */
import { ApiError, getJson } from '../../api/kube';
import { createObject, patchObject } from '../../api/write';
import type { ApiResource, KubeObject } from '../../api/types';
import { collectionPath, objectPath, parseApiVersion } from '../../util/paths';
import { apiErrorLines } from './api-errors';
import { splitDocuments, type LineMessage, type YamlDocument } from './documents';
import { applyOutcome, objectRef, type ApplyOutcome } from './results';

export interface DocumentResult {
  index: number;
  startLine: number;
  endLine: number;
  ok: boolean;
  /** `deployment.apps/web` when the document names an object. */
  ref?: string;
  outcome?: ApplyOutcome;
  /** The line kubectl would print (`deployment.apps/web created`) or the error. */
  message: string;
  /** Messages at lines of the text (errors at their fields). */
  marks: LineMessage[];
  /** Where the object is, for a link (group, version, resource, namespace, name). */
  target?: { resource: ApiResource; version: string; namespace?: string; name: string };
}

export interface ApplyOptions {
  /** For namespaced objects that name none (kubectl's context namespace). */
  namespace: string;
  force?: boolean;
  dryRun?: boolean;
  /** The served resource of a kind (discovery); `refresh` asks discovery again once (new CRDs). */
  resolve(group: string, kind: string): ApiResource | undefined;
  refresh(): Promise<void>;
}

function failed(d: YamlDocument, message: string, marks: LineMessage[] = [{ line: d.startLine, message }], ref?: string): DocumentResult {
  return { index: d.index, startLine: d.startLine, endLine: d.endLine, ok: false, message, marks, ref };
}

async function applyOne(d: YamlDocument, text: { lineCounter: Parameters<typeof apiErrorLines>[2] }, o: ApplyOptions): Promise<DocumentResult> {
  const v = d.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return failed(d, 'error validating data: the document is not an object (a mapping with apiVersion, kind, metadata)');
  const obj = v as KubeObject;
  const missing = [!obj.apiVersion && 'apiVersion not set', !obj.kind && 'kind not set'].filter(Boolean);
  if (missing.length) return failed(d, `error validating data: [${missing.join(', ')}]`);
  const apiVersion = String(obj.apiVersion);
  const kind = String(obj.kind);
  const { group, version } = parseApiVersion(apiVersion);
  let res = o.resolve(group, kind);
  if (!res) {
    await o.refresh();
    res = o.resolve(group, kind);
  }
  if (!res) return failed(d, `resource mapping not found: no matches for kind "${kind}" in version "${apiVersion}"`);
  obj.metadata = typeof obj.metadata === 'object' && obj.metadata ? obj.metadata : ({} as KubeObject['metadata']);
  const name = obj.metadata.name;
  const namespace = res.namespaced ? obj.metadata.namespace || o.namespace : undefined;
  if (res.namespaced) obj.metadata.namespace = namespace;
  const r = { group, version, resource: res.resource };
  const target = name ? { resource: res, version, namespace, name } : undefined;
  const dry = o.dryRun ? ' (server dry run)' : '';
  try {
    if (!name) {
      // generateName: only a create can name it (server-side apply needs a name).
      if (!obj.metadata.generateName) return failed(d, 'error: resource name may not be empty');
      const created = await createObject<KubeObject>(collectionPath(r, namespace), obj, { dryRun: o.dryRun, fieldValidation: 'Strict' });
      const ref = objectRef(apiVersion, kind, created.metadata.name ?? obj.metadata.generateName);
      const message = `${ref} created${dry}`;
      return { index: d.index, startLine: d.startLine, endLine: d.endLine, ok: true, ref, outcome: 'created', message, marks: [{ line: d.startLine, message }], target: o.dryRun ? undefined : { resource: res, version, namespace, name: created.metadata.name ?? '' } };
    }
    const ref = objectRef(apiVersion, kind, name);
    const path = objectPath(r, namespace, name);
    let before: string | undefined;
    try {
      before = (await getJson<KubeObject>(path)).metadata.resourceVersion ?? '';
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
    }
    try {
      const after = await patchObject<KubeObject>(path, obj, 'apply', { force: o.force, dryRun: o.dryRun, fieldValidation: 'Strict' });
      const outcome = applyOutcome(before, after.metadata.resourceVersion);
      const message = `${ref} ${outcome}${dry}`;
      return { index: d.index, startLine: d.startLine, endLine: d.endLine, ok: true, ref, outcome, message, marks: [{ line: d.startLine, message }], target };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const marks = apiErrorLines(e, d.doc, text.lineCounter, d.startLine);
      const hint = e.code === 409 && e.details?.causes?.some((c) => c.reason === 'FieldManagerConflict') ? ' — edit the fields or tick "Force conflicts" to take them over' : '';
      return failed(d, `${e.message}${hint}`, marks, ref);
    }
  } catch (e) {
    return failed(d, e instanceof Error ? e.message : String(e));
  }
}

export interface ApplyRun {
  results: DocumentResult[];
  /** Syntax errors: nothing was sent. */
  syntaxErrors: LineMessage[];
}

export async function applyDocuments(text: string, o: ApplyOptions): Promise<ApplyRun> {
  const { docs, lineCounter } = splitDocuments(text);
  const syntaxErrors = docs.flatMap((d) => d.errors);
  if (syntaxErrors.length) return { results: [], syntaxErrors };
  const results: DocumentResult[] = [];
  for (const d of docs) results.push(await applyOne(d, { lineCounter }, o));
  return { results, syntaxErrors: [] };
}

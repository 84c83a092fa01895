/**
 * Writes kubesim's cluster, user and context into a kubeconfig. An existing file is merged, not
 * replaced: only the entries named `kubesim` change (and current-context), everything else —
 * other contexts, unknown fields, comments — stays as it was, and the old file is kept as
 * `<file>.kubesim-backup` before the first change.
 */
import { chmodSync, copyFileSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';

export const KUBESIM_NAME = 'kubesim';
export const BACKUP_SUFFIX = '.kubesim-backup';

export interface KubeconfigEntry {
  /** `https://127.0.0.1:PORT` */
  server: string;
  caCertPem: string;
  token: string;
}

export interface KubeconfigWriteResult {
  path: string;
  /** False when the file already said exactly this. */
  changed: boolean;
  /** Where the previous content went, when there was some and it changed. */
  backupPath?: string;
  /** current-context before the change, when it was another context. */
  previousContext?: string;
}

function clusterEntry(e: KubeconfigEntry) {
  return {
    name: KUBESIM_NAME,
    cluster: { 'certificate-authority-data': Buffer.from(e.caCertPem).toString('base64'), server: e.server },
  };
}

function userEntry(e: KubeconfigEntry) {
  return { name: KUBESIM_NAME, user: { token: e.token } };
}

function nameOf(item: unknown): unknown {
  return isMap(item) ? item.get('name') : undefined;
}

/** The list under `key`, created when absent or null; throws when it is something else. */
function listOf(doc: Document, key: string): YAMLSeq {
  const node = doc.get(key, true);
  if (isSeq(node)) return node;
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) {
    const seq = new YAMLSeq();
    doc.set(key, seq);
    return seq;
  }
  throw new Error(`'${key}' is not a list`);
}

/**
 * Adds or replaces the `kubesim` item of the list under `key`. `inPlace` may update an existing
 * item itself (returning true) instead; a replaced item keeps the top-level fields the new value
 * does not set.
 */
function upsert(doc: Document, key: string, value: Record<string, unknown>, inPlace?: (old: YAMLMap) => boolean): void {
  const list = listOf(doc, key);
  const i = list.items.findIndex((it) => nameOf(it) === KUBESIM_NAME);
  const old = i >= 0 ? list.items[i] : undefined;
  if (isMap(old) && inPlace?.(old)) return;
  const node = doc.createNode(value) as YAMLMap;
  if (i < 0) {
    list.items.push(node);
    return;
  }
  if (isMap(old)) for (const pair of old.items) if (!node.has(pair.key)) node.items.push(pair);
  list.items[i] = node;
}

/**
 * The kubeconfig text after merging `entry` into `existing` (undefined or blank: a new file).
 * Throws, naming the problem, when `existing` is not a kubeconfig we can safely edit.
 */
export function mergeKubeconfig(existing: string | undefined, entry: KubeconfigEntry): string {
  const blank = existing === undefined || existing.trim() === '';
  const doc = blank ? new Document({}) : parseDocument(existing);
  if (doc.errors.length > 0) throw new Error(`it is not valid YAML (${doc.errors[0].message.split('\n')[0]})`);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) doc.contents = doc.createNode({});
  if (!isMap(doc.contents)) throw new Error('it is not a kubeconfig (the top level is not a map)');
  if (!doc.has('apiVersion')) doc.set('apiVersion', 'v1');
  if (!doc.has('kind')) doc.set('kind', 'Config');

  upsert(doc, 'clusters', clusterEntry(entry));
  upsert(doc, 'users', userEntry(entry));
  upsert(doc, 'contexts', { name: KUBESIM_NAME, context: { cluster: KUBESIM_NAME, user: KUBESIM_NAME } }, (old) => {
    // Keep the context's namespace (and anything else set on it); point it at our entries.
    const ctx = old.get('context', true);
    if (!isMap(ctx)) return false;
    if (ctx.get('cluster') !== KUBESIM_NAME) ctx.set('cluster', KUBESIM_NAME);
    if (ctx.get('user') !== KUBESIM_NAME) ctx.set('user', KUBESIM_NAME);
    return true;
  });
  doc.set('current-context', KUBESIM_NAME);
  if (blank) doc.set('preferences', doc.createNode({}));
  return doc.toString({ lineWidth: 0 });
}

/** current-context of a kubeconfig text, if any (for telling the user how to switch back). */
export function currentContextOf(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const doc = parseDocument(text);
    const v = isMap(doc.contents) ? doc.get('current-context') : undefined;
    return typeof v === 'string' && v !== '' ? v : undefined;
  } catch {
    return undefined;
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Merges kubesim's entries into the kubeconfig at `path` (creating it and its folder if needed),
 * writing atomically with mode 0600. A symlinked kubeconfig is updated where it points.
 */
export function writeKubeconfig(path: string, entry: KubeconfigEntry): KubeconfigWriteResult {
  let target = path;
  try {
    target = realpathSync(path);
  } catch {
    /* does not exist yet */
  }
  const old = readOrUndefined(target);
  let next: string;
  try {
    next = mergeKubeconfig(old, entry);
  } catch (e) {
    throw new Error(`cannot add the kubesim context to ${path}: ${(e as Error).message}; fix the file or pass --kubeconfig FILE`);
  }
  const result: KubeconfigWriteResult = { path, changed: old !== next };
  const prev = currentContextOf(old);
  if (prev && prev !== KUBESIM_NAME) result.previousContext = prev;
  if (!result.changed) {
    if (process.platform !== 'win32' && (statSync(target).mode & 0o777) !== 0o600) chmodSync(target, 0o600);
    return result;
  }
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  if (old !== undefined && old.trim() !== '') {
    result.backupPath = target + BACKUP_SUFFIX;
    copyFileSync(target, result.backupPath);
    chmodSync(result.backupPath, 0o600);
  }
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, next, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, target);
  return result;
}

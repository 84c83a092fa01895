/**
 * The files of the kubelet-written volumes (configMap, secret, downwardAPI, projected) as upstream's
 * volume plugins compute them (MakePayload): keys or `items` (key → path, per-item `mode`),
 * `defaultMode` (0644), `optional`, binaryData, downward fields (labels/annotations as sorted
 * `key="value"` lines) and resource fields; and writing such a file set into a filesystem in place
 * (changed files rewritten, vanished ones removed), which is how updates reach running containers.
 */
import type { KubeObject } from '../api/types';
import type { FileSystem } from '../runtime/types';
import { fieldRefValue, resourceFieldValue, type ContainerSpec } from './env';

/** One file of a volume: its content and permission bits. */
export interface VolumeFile {
  data: string;
  mode: number;
}

export type FileSet = Map<string, VolumeFile>;

/** `MountVolume.SetUp failed for volume "<volume>" : <message>` */
export class VolumeSetupError extends Error {
  constructor(
    readonly volume: string,
    readonly reason: string,
  ) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${reason}`);
  }
}

export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

export interface DownwardItem {
  path: string;
  fieldRef?: { fieldPath?: string };
  resourceFieldRef?: { containerName?: string; resource?: string; divisor?: string };
  mode?: number;
}

export const DEFAULT_MODE = 0o644;

/** The keys of a ConfigMap (data and binaryData) or Secret (data, base64-decoded). */
export function objectData(obj: KubeObject, secret: boolean): Record<string, string> {
  const o = obj as unknown as { data?: Record<string, string>; binaryData?: Record<string, string> };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.data ?? {})) out[k] = secret ? Buffer.from(v, 'base64').toString('utf8') : v;
  if (!secret) for (const [k, v] of Object.entries(o.binaryData ?? {})) out[k] = Buffer.from(v, 'base64').toString('latin1');
  return out;
}

/**
 * The files of a configMap/secret source. `obj` undefined: missing (an error unless optional).
 * Throws VolumeSetupError with upstream's texts.
 */
export function keyFiles(
  kind: 'configmap' | 'secret',
  volume: string,
  name: string,
  obj: KubeObject | undefined,
  src: { items?: KeyToPath[]; optional?: boolean; defaultMode?: number },
  into: FileSet = new Map(),
): FileSet {
  if (!obj) {
    if (src.optional) return into;
    throw new VolumeSetupError(volume, `${kind} "${name}" not found`);
  }
  const data = objectData(obj, kind === 'secret');
  const mode = src.defaultMode ?? DEFAULT_MODE;
  if (!src.items?.length) {
    for (const [k, v] of Object.entries(data)) into.set(k, { data: v, mode });
    return into;
  }
  for (const i of src.items) {
    if (!(i.key in data)) {
      if (src.optional) continue;
      throw new VolumeSetupError(volume, kind === 'configmap' ? `configmap references non-existent config key: ${i.key}` : `references non-existent secret key: ${i.key}`);
    }
    into.set(i.path, { data: data[i.key]!, mode: i.mode ?? mode });
  }
  return into;
}

/** `labels`/`annotations` as a downward file: sorted `key="value"` lines (fieldpath.FormatMap). */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

/** The files of downwardAPI items. */
export function downwardFiles(
  volume: string,
  pod: KubeObject,
  items: DownwardItem[] | undefined,
  ctx: { podIP?: string; hostIP: string },
  defaultMode = DEFAULT_MODE,
  into: FileSet = new Map(),
): FileSet {
  const containers = ((pod.spec ?? {}) as { containers?: ContainerSpec[]; initContainers?: ContainerSpec[] });
  for (const i of items ?? []) {
    let data: string | undefined;
    const path = i.fieldRef?.fieldPath;
    if (path === 'metadata.labels') data = formatMap(pod.metadata.labels);
    else if (path === 'metadata.annotations') data = formatMap(pod.metadata.annotations);
    else if (path) data = fieldRefValue(pod, path, ctx.podIP, ctx.hostIP);
    else if (i.resourceFieldRef?.resource) {
      const all = [...(containers.initContainers ?? []), ...(containers.containers ?? [])];
      const c = all.find((x) => x.name === i.resourceFieldRef!.containerName);
      if (!c) throw new VolumeSetupError(volume, `container ${JSON.stringify(i.resourceFieldRef.containerName ?? '')} not found in pod ${pod.metadata.name}`);
      data = resourceFieldValue(c, i.resourceFieldRef.resource, i.resourceFieldRef.divisor);
    }
    if (data === undefined) throw new VolumeSetupError(volume, `unsupported fieldPath: ${path}`);
    into.set(i.path, { data, mode: i.mode ?? defaultMode });
  }
  return into;
}

function norm(path: string): string {
  return `/${path.replace(/^\/+/, '')}`;
}

/**
 * Brings `fs` to hold exactly `files` (beyond what `previous` listed, nothing is touched): writes
 * what is new or changed, removes what is gone, and directories left empty by it.
 */
export function writeFiles(fs: FileSystem, files: FileSet, previous: Iterable<string> = []): void {
  for (const [path, f] of files) {
    const p = norm(path);
    const dir = p.slice(0, p.lastIndexOf('/'));
    if (dir && !fs.stat(dir)) fs.mkdir(dir, { parents: true });
    const st = fs.stat(p);
    if (st?.kind === 'file' && st.mode === f.mode && fs.readFile(p) === f.data) continue;
    fs.writeFile(p, f.data, { mode: f.mode });
  }
  for (const old of previous) {
    if (files.has(old)) continue;
    const p = norm(old);
    if (fs.stat(p)?.kind !== 'file') continue;
    fs.remove(p);
    for (let dir = p.slice(0, p.lastIndexOf('/')); dir; dir = dir.slice(0, dir.lastIndexOf('/'))) {
      if (fs.readdir(dir).length > 0) break;
      fs.remove(dir);
    }
  }
}

/**
 * A pod's volumes as the kubelet's volume manager sets them up before the containers start:
 * - emptyDir: one filesystem shared by the pod's containers, kept across their restarts
 *   (`medium: Memory` and `sizeLimit` change nothing here: its bytes do not count toward memory);
 * - configMap, secret, downwardAPI and projected (service account token, `kube-root-ca.crt`, the
 *   namespace): files the kubelet writes (volume-files.ts) and rewrites in place when the objects
 *   or the pod's labels/annotations change (`PodVolumes.refresh`); a `subPath` mount of them gets
 *   a copy taken at container start, as upstream's bind mount keeps the old file;
 * - hostPath: the node's own disk, `<dataDir>/nodes/<node>/hostpath/<path>` (`VolumeFactory.nodeRoot`),
 *   with the `type` checks and FailedMount texts of upstream (Directory, DirectoryOrCreate, File,
 *   FileOrCreate, Socket, CharDevice, BlockDevice);
 * - persistentVolumeClaim: the bound PV's directory — a folder of the cluster's `<dataDir>/volumes/`
 *   (provisioned claims) on disk via `VolumeFactory.persistentDir`, else its hostPath/local path on
 *   the node's disk — so data outlives the pod and the app.
 * Without a factory for disks (bare unit tests) hostPath and PV directories live in memory per node.
 */
import type { KubeObject } from '../api/types';
import type { EnvVar, FileSystem, VolumeMount } from '../runtime/types';
import { expand } from './env';
import { serviceAccountToken } from './sa-token';
import { VolumeSetupError, downwardFiles, keyFiles, writeFiles, DEFAULT_MODE, type DownwardItem, type FileSet, type KeyToPath } from './volume-files';

export { VolumeSetupError } from './volume-files';
export { serviceAccountToken } from './sa-token';

export interface VolumeFactory {
  /** An empty in-memory directory tree. */
  emptyDir(): FileSystem;
  /**
   * The on-disk directory behind a PersistentVolume's `hostPath`/`local` path when that path is
   * one of the cluster's own volume folders (`<dataDir>/volumes/<pv>`, the runtime's
   * `hostFsUnder`); undefined otherwise.
   */
  persistentDir?(path: string): FileSystem | undefined;
  /** The node's own disk for hostPath volumes: `<dataDir>/nodes/<node>/hostpath` (a HostFs). */
  nodeRoot?(nodeName: string): FileSystem;
}

export interface VolumeSources {
  configMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  secret(namespace: string, name: string): Promise<KubeObject | undefined>;
  pvc(namespace: string, name: string): Promise<KubeObject | undefined>;
  pv(name: string): Promise<KubeObject | undefined>;
}

interface VolumeSpec {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  configMap?: { name?: string; items?: KeyToPath[]; optional?: boolean; defaultMode?: number };
  secret?: { secretName?: string; items?: KeyToPath[]; optional?: boolean; defaultMode?: number };
  projected?: { sources?: ProjectedSource[]; defaultMode?: number };
  downwardAPI?: { items?: DownwardItem[]; defaultMode?: number };
  hostPath?: { path: string; type?: string };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
}
interface ProjectedSource {
  serviceAccountToken?: { path: string; expirationSeconds?: number; audience?: string };
  configMap?: { name?: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { name?: string; items?: KeyToPath[]; optional?: boolean };
  downwardAPI?: { items?: DownwardItem[] };
}

export interface PodVolume {
  fs: FileSystem;
  readOnly: boolean;
  /** Where the volume starts inside `fs` (hostPath volumes on the node's disk). */
  subPath?: string;
  /** Written by the kubelet (configMap, secret, downwardAPI, projected): refreshed in place. */
  written?: boolean;
}

export interface VolumeContext {
  podIP?: string;
  hostIP: string;
  now: number;
}

/**
 * A written volume (configMap, secret, projected, downwardAPI) and the files it holds now. Its
 * recipe is the volume's spec in the pod as it is when rendered (a pod's volumes never change):
 * no closure keeps an old copy of the pod or the volume's spec per pod.
 */
interface Writer {
  volume: string;
  fs: FileSystem;
  files: string[];
}

/** Renders a written volume's files from its spec, the objects it reads and the pod. */
export interface VolumeRenderer {
  render(out: PodVolumes, v: VolumeSpec, fs: FileSystem, pod: KubeObject, ctx: VolumeContext): Promise<FileSet>;
}

function volumeSpecs(pod: KubeObject): VolumeSpec[] {
  return ((pod.spec ?? {}) as { volumes?: VolumeSpec[] }).volumes ?? [];
}

/** One pod's volumes. */
export class PodVolumes {
  readonly volumes = new Map<string, PodVolume>();
  /** The objects its written volumes read: `configmap/<ns>/<name>`, `secret/<ns>/<name>`. */
  readonly refs = new Set<string>();
  /** Whether a written volume shows the pod's own metadata (labels/annotations updates matter). */
  downward = false;
  private readonly writers: Writer[] = [];

  constructor(
    private readonly factory?: VolumeFactory,
    private readonly renderer?: VolumeRenderer,
  ) {}

  get(name: string): PodVolume | undefined {
    return this.volumes.get(name);
  }

  /** @internal setUp's writer registration (renders and writes the first content). */
  async addWriter(v: VolumeSpec, fs: FileSystem, pod: KubeObject, ctx: VolumeContext): Promise<void> {
    const files = await this.renderer!.render(this, v, fs, pod, ctx);
    writeFiles(fs, files);
    this.writers.push({ volume: v.name, fs, files: [...files.keys()] });
  }

  /**
   * Rewrites the written volumes from the objects and the pod as they are now. A volume whose
   * source cannot be read keeps its content (upstream logs the error and retries at the next sync).
   */
  refresh(pod: KubeObject, ctx: VolumeContext): Promise<void> {
    // One at a time, in order: a slower earlier refresh must not write over a later one.
    this.refreshing = this.refreshing.then(() => this.refreshNow(pod, ctx));
    return this.refreshing;
  }

  private refreshing: Promise<void> = Promise.resolve();

  private async refreshNow(pod: KubeObject, ctx: VolumeContext): Promise<void> {
    if (!this.renderer) return;
    const specs = volumeSpecs(pod);
    for (const w of this.writers) {
      const v = specs.find((x) => x.name === w.volume);
      if (!v) continue;
      try {
        const files = await this.renderer.render(this, v, w.fs, pod, ctx);
        writeFiles(w.fs, files, w.files);
        w.files = [...files.keys()];
      } catch {
        // kept as it was
      }
    }
  }

  /** The container's mounts for the runtime (volumeMounts of volumes that exist). */
  mountsFor(container: { volumeMounts?: { name: string; mountPath: string; subPath?: string; subPathExpr?: string; readOnly?: boolean }[] }, env: EnvVar[] = []): VolumeMount[] {
    const out: VolumeMount[] = [];
    const vars = new Map(env.map((e) => [e.name, e.value]));
    for (const m of container.volumeMounts ?? []) {
      const v = this.volumes.get(m.name);
      if (!v) continue;
      const sub = m.subPathExpr ? expand(m.subPathExpr, (n) => vars.get(n)) : m.subPath;
      const readOnly = m.readOnly === true || v.readOnly;
      if (sub && v.written && this.factory) {
        // A bind mount of one file/dir of the volume: later updates do not reach it.
        const copy = this.factory.emptyDir();
        copyTree(v.fs, `/${sub.replace(/^\/+/, '')}`, copy, '/v');
        out.push({ mountPath: m.mountPath, fs: copy, subPath: '/v', readOnly });
        continue;
      }
      const path = joinSub(v.subPath, sub);
      out.push({ mountPath: m.mountPath, fs: v.fs, ...(path ? { subPath: path } : {}), readOnly });
    }
    return out;
  }
}

function joinSub(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b || undefined;
  if (!b) return a;
  return `${a.replace(/\/+$/, '')}/${b.replace(/^\/+/, '')}`;
}

function copyTree(src: FileSystem, from: string, dst: FileSystem, to: string): void {
  const st = src.stat(from);
  if (!st) return;
  if (st.kind === 'file') {
    dst.writeFile(to, src.readFile(from), { mode: st.mode });
    return;
  }
  dst.mkdir(to, { parents: true });
  for (const name of src.readdir(from)) copyTree(src, `${from === '/' ? '' : from}/${name}`, dst, `${to}/${name}`);
}

/** hostPath `type` checks (pkg/volume/hostpath): what must be there, what may be created. */
function checkHostPath(volume: string, root: FileSystem, path: string, type: string | undefined): void {
  const st = root.stat(path);
  const fail = (what: string) => {
    throw new VolumeSetupError(volume, `hostPath type check failed: ${path} is not ${what}`);
  };
  switch (type ?? '') {
    case '':
      // containerd creates a missing bind-mount source as a directory.
      if (!st) root.mkdir(path, { parents: true });
      return;
    case 'DirectoryOrCreate':
      if (!st) root.mkdir(path, { parents: true });
      else if (st.kind !== 'dir') fail('a directory');
      return;
    case 'Directory':
      if (st?.kind !== 'dir') fail('a directory');
      return;
    case 'FileOrCreate': {
      if (st) {
        if (st.kind !== 'file') fail('a file');
        return;
      }
      const parent = path.slice(0, path.lastIndexOf('/')) || '/';
      if (root.stat(parent)?.kind !== 'dir') throw new VolumeSetupError(volume, `open ${path}: no such file or directory`);
      root.writeFile(path, '', { mode: DEFAULT_MODE });
      return;
    }
    case 'File':
      if (st?.kind !== 'file') fail('a file');
      return;
    case 'Socket':
      fail('a socket file');
      return;
    case 'CharDevice':
      fail('a character device');
      return;
    case 'BlockDevice':
      fail('a block device');
      return;
    default:
      throw new VolumeSetupError(volume, `hostPath type check failed: unknown type ${JSON.stringify(type)}`);
  }
}

function normalizeHostPath(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

export class PodVolumeManager implements VolumeRenderer {
  private root?: FileSystem;

  constructor(
    private readonly factory: VolumeFactory,
    private readonly sources: VolumeSources,
    /** In-memory hostPath / PV directories by path (no disk), and on-disk PV folders. */
    private readonly hostDirs: Map<string, FileSystem>,
    private readonly nodeName = '',
  ) {}

  /** Sets up every volume of the pod; throws VolumeSetupError for the first that cannot be. */
  async setUp(pod: KubeObject, ctx: VolumeContext): Promise<PodVolumes> {
    const ns = pod.metadata.namespace ?? 'default';
    const out = new PodVolumes(this.factory, this);
    for (const v of volumeSpecs(pod)) {
      if (v.configMap || v.secret || v.projected || v.downwardAPI) {
        const fs = this.factory.emptyDir();
        await out.addWriter(v, fs, pod, ctx);
        out.volumes.set(v.name, { fs, readOnly: true, written: true });
      } else if (v.hostPath) {
        out.volumes.set(v.name, this.hostPath(v.name, v.hostPath.path, v.hostPath.type));
      } else if (v.persistentVolumeClaim) {
        out.volumes.set(v.name, await this.claim(v.name, ns, v.persistentVolumeClaim.claimName, v.persistentVolumeClaim.readOnly === true));
      } else {
        // emptyDir, and kinds kubesim does not back with anything special.
        out.volumes.set(v.name, { fs: this.factory.emptyDir(), readOnly: false });
      }
    }
    return out;
  }

  /** VolumeRenderer: a written volume's files now (the objects it reads are noted in `out.refs`). */
  async render(out: PodVolumes, v: VolumeSpec, fs: FileSystem, pod: KubeObject, ctx: VolumeContext): Promise<FileSet> {
    const ns = pod.metadata.namespace ?? 'default';
    const cm = (name: string) => {
      out.refs.add(`configmap/${ns}/${name}`);
      return this.sources.configMap(ns, name);
    };
    const secret = (name: string) => {
      out.refs.add(`secret/${ns}/${name}`);
      return this.sources.secret(ns, name);
    };
    if (v.configMap) return keyFiles('configmap', v.name, v.configMap.name ?? '', await cm(v.configMap.name ?? ''), v.configMap);
    if (v.secret) return keyFiles('secret', v.name, v.secret.secretName ?? '', await secret(v.secret.secretName ?? ''), v.secret);
    if (v.downwardAPI) {
      out.downward = true;
      return downwardFiles(v.name, pod, v.downwardAPI.items, ctx, v.downwardAPI.defaultMode);
    }
    const files: FileSet = new Map();
    const mode = v.projected?.defaultMode ?? DEFAULT_MODE;
    for (const s of v.projected?.sources ?? []) {
      if (s.serviceAccountToken) {
        // The token is written once (upstream rotates it at 80 % of its lifetime, not on updates): the file keeps it.
        const path = s.serviceAccountToken.path;
        const file = `/${path.replace(/^\/+/, '')}`;
        const t = fs.stat(file)?.kind === 'file' ? fs.readFile(file) : serviceAccountToken(pod, ctx.now, s.serviceAccountToken.expirationSeconds);
        files.set(path, { data: t, mode });
      }
      if (s.configMap) keyFiles('configmap', v.name, s.configMap.name ?? '', await cm(s.configMap.name ?? ''), { ...s.configMap, defaultMode: mode }, files);
      if (s.secret) keyFiles('secret', v.name, s.secret.name ?? '', await secret(s.secret.name ?? ''), { ...s.secret, defaultMode: mode }, files);
      if (s.downwardAPI) {
        out.downward = true;
        downwardFiles(v.name, pod, s.downwardAPI.items, ctx, mode, files);
      }
    }
    return files;
  }

  private nodeRoot(): FileSystem | undefined {
    if (!this.root && this.factory.nodeRoot) this.root = this.factory.nodeRoot(this.nodeName);
    return this.root;
  }

  /** A hostPath volume: the node's disk (type-checked), or a per-node in-memory directory. */
  private hostPath(volume: string, rawPath: string, type?: string): PodVolume {
    const path = normalizeHostPath(rawPath);
    const root = this.nodeRoot();
    if (!root) return { fs: this.memoryDir(path), readOnly: false };
    try {
      checkHostPath(volume, root, path, type);
    } catch (e) {
      if (e instanceof VolumeSetupError) throw e;
      throw new VolumeSetupError(volume, (e as Error).message);
    }
    return { fs: root, subPath: path, readOnly: false };
  }

  private async claim(volume: string, ns: string, claim: string, readOnly: boolean): Promise<PodVolume> {
    const pvc = await this.sources.pvc(ns, claim);
    if (!pvc) throw new VolumeSetupError(volume, `persistentvolumeclaim "${claim}" not found`);
    const pvName = ((pvc.spec ?? {}) as { volumeName?: string }).volumeName;
    const pv = pvName ? await this.sources.pv(pvName) : undefined;
    if (!pv) throw new VolumeSetupError(volume, `PVC ${ns}/${claim} is not bound`);
    const pvSpec = (pv.spec ?? {}) as { hostPath?: { path: string; type?: string }; local?: { path: string } };
    const path = pvSpec.hostPath?.path ?? pvSpec.local?.path;
    if (path === undefined) return { fs: this.memoryDir(`pv:${pvName}`), readOnly };
    const disk = this.diskDir(volume, path);
    if (disk) return { fs: disk, readOnly };
    return { ...this.hostPath(volume, path, pvSpec.hostPath?.type), readOnly };
  }

  /** A PV folder of the cluster's data dir, on disk (only for PVC-backed volumes, never plain hostPath). */
  private diskDir(volume: string, path: string): FileSystem | undefined {
    const key = `disk:${path}`;
    let fs = this.hostDirs.get(key);
    if (!fs) {
      try {
        fs = this.factory.persistentDir?.(path);
      } catch (err) {
        throw new VolumeSetupError(volume, (err as Error).message);
      }
      if (fs) this.hostDirs.set(key, fs);
    }
    return fs;
  }

  private memoryDir(path: string): FileSystem {
    let fs = this.hostDirs.get(path);
    if (!fs) {
      fs = this.factory.emptyDir();
      this.hostDirs.set(path, fs);
    }
    return fs;
  }
}

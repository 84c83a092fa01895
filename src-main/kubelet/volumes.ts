/**
 * A pod's volumes as the kubelet's volume manager sets them up before the containers start:
 * emptyDir (one filesystem shared by the pod's containers, kept across their restarts),
 * configMap, secret, projected (the service account token, `kube-root-ca.crt`, the namespace)
 * and downwardAPI files, and hostPath / persistentVolumeClaim directories shared by every pod of
 * the node that mounts the same path (a claim's volume in the cluster's `<dataDir>/volumes/` is the
 * directory on disk, through `VolumeFactory.persistentDir`). Filesystems come from the runtime (`VolumeFactory`); a
 * missing configMap/secret is a FailedMount with upstream's message.
 */
import type { KubeObject } from '../api/types';
import type { FileSystem, VolumeMount } from '../runtime/types';
import { fieldRefValue } from './env';

export interface VolumeFactory {
  /** An empty in-memory directory tree. */
  emptyDir(): FileSystem;
  /**
   * The on-disk directory behind a PersistentVolume's `hostPath`/`local` path when that path is
   * one of the cluster's own volume folders (`<dataDir>/volumes/<pv>`, the runtime's
   * `hostFsUnder`); undefined otherwise (the volume then lives in memory on the node).
   */
  persistentDir?(path: string): FileSystem | undefined;
}

export interface VolumeSources {
  configMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  secret(namespace: string, name: string): Promise<KubeObject | undefined>;
  pvc(namespace: string, name: string): Promise<KubeObject | undefined>;
  pv(name: string): Promise<KubeObject | undefined>;
}

/** `MountVolume.SetUp failed for volume "<volume>" : <message>` */
export class VolumeSetupError extends Error {
  constructor(
    readonly volume: string,
    readonly reason: string,
  ) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${reason}`);
  }
}

interface KeyToPath {
  key: string;
  path: string;
}
interface VolumeSpec {
  name: string;
  emptyDir?: unknown;
  configMap?: { name?: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { secretName?: string; items?: KeyToPath[]; optional?: boolean };
  projected?: { sources?: ProjectedSource[] };
  downwardAPI?: { items?: DownwardItem[] };
  hostPath?: { path: string };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
}
interface DownwardItem {
  path: string;
  fieldRef?: { fieldPath?: string };
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
}

function write(fs: FileSystem, path: string, data: string): void {
  const p = `/${path.replace(/^\/+/, '')}`;
  const dir = p.slice(0, p.lastIndexOf('/'));
  if (dir) fs.mkdir(dir, { parents: true });
  fs.writeFile(p, data);
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

/** A token that looks like the kubelet's projected service account token (not verifiable). */
export function serviceAccountToken(pod: KubeObject, now: number, expirationSeconds = 3607): string {
  const ns = pod.metadata.namespace ?? 'default';
  const sa = ((pod.spec ?? {}) as { serviceAccountName?: string }).serviceAccountName ?? 'default';
  const iat = Math.floor(now / 1000);
  const header = { alg: 'RS256', kid: 'kubesim' };
  const claims = {
    aud: ['https://kubernetes.default.svc.cluster.local'],
    exp: iat + expirationSeconds,
    iat,
    iss: 'https://kubernetes.default.svc.cluster.local',
    'kubernetes.io': { namespace: ns, pod: { name: pod.metadata.name, uid: pod.metadata.uid }, serviceaccount: { name: sa } },
    nbf: iat,
    sub: `system:serviceaccount:${ns}:${sa}`,
  };
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}.${b64url('kubesim-signature')}`;
}

export class PodVolumeManager {
  constructor(
    private readonly factory: VolumeFactory,
    private readonly sources: VolumeSources,
    /** Node-wide hostPath / PV directories by path. */
    private readonly hostDirs: Map<string, FileSystem>,
  ) {}

  /** Sets up every volume of the pod; throws VolumeSetupError for the first that cannot be. */
  async setUp(pod: KubeObject, ctx: { podIP?: string; hostIP: string; now: number }): Promise<Map<string, PodVolume>> {
    const ns = pod.metadata.namespace ?? 'default';
    const out = new Map<string, PodVolume>();
    const volumes = ((pod.spec ?? {}) as { volumes?: VolumeSpec[] }).volumes ?? [];
    const keyData = async (kind: 'configmap' | 'secret', volume: string, name: string, items: KeyToPath[] | undefined, optional: boolean | undefined): Promise<[string, string][]> => {
      const obj = kind === 'configmap' ? await this.sources.configMap(ns, name) : await this.sources.secret(ns, name);
      if (!obj) {
        if (optional) return [];
        throw new VolumeSetupError(volume, `${kind} "${name}" not found`);
      }
      const raw = ((obj as unknown as { data?: Record<string, string> }).data ?? {}) as Record<string, string>;
      const data = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, kind === 'secret' ? Buffer.from(v, 'base64').toString('utf8') : v]));
      if (!items) return Object.entries(data);
      return items.map((i) => {
        if (!(i.key in data)) {
          if (optional) return undefined;
          throw new VolumeSetupError(volume, `configmap references non-existent config key: ${i.key}`);
        }
        return [i.path, data[i.key]] as [string, string];
      }).filter((x): x is [string, string] => !!x);
    };
    const downward = (fs: FileSystem, items: DownwardItem[] | undefined) => {
      for (const i of items ?? []) write(fs, i.path, fieldRefValue(pod, i.fieldRef?.fieldPath ?? '', ctx.podIP, ctx.hostIP) ?? '');
    };
    for (const v of volumes) {
      if (v.configMap) {
        const fs = this.factory.emptyDir();
        for (const [p, d] of await keyData('configmap', v.name, v.configMap.name ?? '', v.configMap.items, v.configMap.optional)) write(fs, p, d);
        out.set(v.name, { fs, readOnly: true });
      } else if (v.secret) {
        const fs = this.factory.emptyDir();
        for (const [p, d] of await keyData('secret', v.name, v.secret.secretName ?? '', v.secret.items, v.secret.optional)) write(fs, p, d);
        out.set(v.name, { fs, readOnly: true });
      } else if (v.projected) {
        const fs = this.factory.emptyDir();
        for (const s of v.projected.sources ?? []) {
          if (s.serviceAccountToken) write(fs, s.serviceAccountToken.path, serviceAccountToken(pod, ctx.now, s.serviceAccountToken.expirationSeconds));
          if (s.configMap) for (const [p, d] of await keyData('configmap', v.name, s.configMap.name ?? '', s.configMap.items, s.configMap.optional)) write(fs, p, d);
          if (s.secret) for (const [p, d] of await keyData('secret', v.name, s.secret.name ?? '', s.secret.items, s.secret.optional)) write(fs, p, d);
          if (s.downwardAPI) downward(fs, s.downwardAPI.items);
        }
        out.set(v.name, { fs, readOnly: true });
      } else if (v.downwardAPI) {
        const fs = this.factory.emptyDir();
        downward(fs, v.downwardAPI.items);
        out.set(v.name, { fs, readOnly: true });
      } else if (v.hostPath) {
        out.set(v.name, { fs: this.hostDir(v.hostPath.path), readOnly: false });
      } else if (v.persistentVolumeClaim) {
        const claim = v.persistentVolumeClaim.claimName;
        const pvc = await this.sources.pvc(ns, claim);
        if (!pvc) throw new VolumeSetupError(v.name, `persistentvolumeclaim "${claim}" not found`);
        const pvName = ((pvc.spec ?? {}) as { volumeName?: string }).volumeName;
        const pv = pvName ? await this.sources.pv(pvName) : undefined;
        if (!pv) throw new VolumeSetupError(v.name, `PVC ${ns}/${claim} is not bound`);
        const pvSpec = (pv.spec ?? {}) as { hostPath?: { path: string }; local?: { path: string } };
        const path = pvSpec.hostPath?.path ?? pvSpec.local?.path;
        out.set(v.name, { fs: (path !== undefined && this.diskDir(v.name, path)) || this.hostDir(path ?? `pv:${pvName}`), readOnly: v.persistentVolumeClaim.readOnly === true });
      } else {
        // emptyDir, and kinds kubesim does not back with anything special.
        out.set(v.name, { fs: this.factory.emptyDir(), readOnly: false });
      }
    }
    return out;
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

  private hostDir(path: string): FileSystem {
    let fs = this.hostDirs.get(path);
    if (!fs) {
      fs = this.factory.emptyDir();
      this.hostDirs.set(path, fs);
    }
    return fs;
  }
}

/** The container's mounts for the runtime (volumeMounts of volumes that exist). */
export function mountsFor(container: { volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[] }, volumes: Map<string, PodVolume>): VolumeMount[] {
  const out: VolumeMount[] = [];
  for (const m of container.volumeMounts ?? []) {
    const v = volumes.get(m.name);
    if (!v) continue;
    out.push({ mountPath: m.mountPath, fs: v.fs, ...(m.subPath ? { subPath: m.subPath } : {}), readOnly: m.readOnly === true || v.readOnly });
  }
  return out;
}

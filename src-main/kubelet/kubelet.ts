/**
 * One simulated node's kubelet: registers the Node and heartbeats (node-heartbeat.ts), watches
 * only the pods bound to it (`spec.nodeName=<node>`), runs one PodWorker per pod, keeps the node's
 * image cache and pod IPs, reports its images in the node status, and serves container logs to the
 * API server (`NodeConnection`, registered by cluster-start).
 */
import type { KubeObject } from '../api/types';
import { StatusError, badRequest } from '../api/errors';
import { EventRecorder, R, SharedInformer, realClock, type Clock, type KubeClient } from '../client';
import type { ContainerRuntime, FileSystem, ImageInfo } from '../runtime/types';
import type { ClusterDnsZone, ClusterNetwork } from '../network/types';
import { PodVolumeManager, type VolumeFactory } from './volumes';
import { KeyedBackoff } from './backoff';
import type { EnvSources } from './env';
import { ImageManager } from './image-manager';
import { PodIpAllocator } from './ip-allocator';
import { containerLogPath } from './log-writer';
import { LogByteStream, serveLog } from './log-reader';
import { NodeHeartbeat } from './node-heartbeat';
import { nodeIp, type NodeIdentity } from './node-status';
import { PodWorker, type PodWorkerDeps } from './pod-worker';
import { HostNetworkNamespace } from './sandbox';
import { attachSession, execSession, forwardPort } from './container-streams';
import type { ContainerStream, ContainerStreamRequest, PortForwardRequest } from '../apiserver/node-connections';
import type { Duplex } from 'node:stream';
import { kubeletUsage } from './usage';
import type { NodeUsage } from '../apiserver/node-connections';

export interface KubeletOptions {
  /** Acts as the node (system:node:<name>). */
  client: KubeClient;
  node: NodeIdentity;
  runtime: ContainerRuntime;
  /** The cluster clock. */
  clock?: Clock;
  /** Pod log files go under `<dataDir>/pods`. */
  dataDir: string;
  /** Immediate pulls and container starts. */
  fast?: boolean;
  log?: (line: string) => void;
  /** Services of a namespace plus default/kubernetes, for the service environment variables. */
  services?: (namespace: string) => KubeObject[];
  /** Register the Node and renew its Lease (default true). */
  heartbeat?: boolean;
  /** Filesystems for pod volumes (the runtime's `createEmptyDir`); absent: containers get no volume mounts. */
  volumeFactory?: VolumeFactory;
  /** The cluster network: pod sandboxes get their PodNetwork here; probes and port-forward use it. */
  network?: ClusterNetwork;
  /** The cluster DNS zone, handed to every container (only a DNS server program uses it). */
  clusterDns?: ClusterDnsZone;
  /**
   * Informers on ConfigMaps and Secrets (started by the caller, shared by the node's kubelets);
   * absent: the kubelet runs its own. Volumes showing them are rewritten when they change.
   */
  configObjects?: { configMaps: SharedInformer; secrets: SharedInformer };
}

/** The request the API server sends for `pods/log` (structurally apiserver's ContainerLogRequest). */
export interface ContainerLogRequest {
  namespace: string;
  pod: string;
  uid: string;
  container: string;
  options: { follow: boolean; previous: boolean; timestamps: boolean; tailLines?: number; limitBytes?: number; sinceMs?: number };
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class Kubelet {
  readonly name: string;
  readonly client: KubeClient;
  readonly heartbeat: NodeHeartbeat;
  readonly images: ImageManager;
  readonly ips: PodIpAllocator;
  private readonly clock: Clock;
  private readonly log: (line: string) => void;
  private readonly crashBackoff: KeyedBackoff;
  private readonly recorder: EventRecorder;
  private readonly workers = new Map<string, PodWorker>();
  private informer?: SharedInformer;
  private nodeStatusPending = false;
  private readonly volumes?: PodVolumeManager;
  /** hostPath and PersistentVolume directories of this node, by path. */
  private readonly hostDirs = new Map<string, FileSystem>();
  private stopped = false;
  /** The node's own network namespace (hostNetwork pods). */
  private readonly hostNetwork?: HostNetworkNamespace;
  /** ConfigMaps and Secrets as the kubelet's watch-based object cache sees them. */
  private configObjects?: { configMaps: SharedInformer; secrets: SharedInformer };
  private ownConfigInformers = false;
  private configHandlers: { remove(): void }[] = [];
  /** `configmap/<ns>/<name>` → uids of pods whose volumes show it, and the reverse. */
  private readonly refIndex = new Map<string, Set<string>>();
  private readonly podRefs = new Map<string, ReadonlySet<string>>();

  constructor(private readonly o: KubeletOptions) {
    this.client = o.client;
    this.name = o.node.name;
    this.clock = o.clock ?? realClock;
    this.log = o.log ?? (() => {});
    this.images = new ImageManager(o.runtime, this.clock, o.fast === true, () => this.imagesChanged());
    this.ips = new PodIpAllocator(`10.244.${o.node.index}.0/24`);
    this.crashBackoff = new KeyedBackoff(this.clock);
    this.recorder = new EventRecorder(o.client, { component: 'kubelet', host: this.name }, this.clock);
    if (o.volumeFactory) {
      const c = o.client;
      this.volumes = new PodVolumeManager(
        o.volumeFactory,
        {
          configMap: (ns, name) => this.configObject('configmap', ns, name),
          secret: (ns, name) => this.configObject('secret', ns, name),
          pvc: (ns, name) => c.tryGet(R.persistentvolumeclaims, ns, name),
          pv: (name) => c.tryGet(R.persistentvolumes, undefined, name),
        },
        this.hostDirs,
        this.name,
      );
    }
    if (o.network) this.hostNetwork = new HostNetworkNamespace(o.network, this.hostIP, this.name);
    this.heartbeat = new NodeHeartbeat(o.client, o.node, this.clock, () => ({ images: this.images.list() }));
  }

  get hostIP(): string {
    return nodeIp(this.o.node.index);
  }

  /** Registers the node (when heartbeating), loads its image cache, and starts running its pods. */
  async start(): Promise<void> {
    if (this.o.heartbeat !== false) {
      const node = await this.o.client.tryGet(R.nodes, undefined, this.name);
      this.preloadImages(node);
      await this.heartbeat.register();
      this.heartbeat.start((e) => this.log(`node ${this.name}: heartbeat failed: ${describe(e)}`));
    }
    await this.watchConfigObjects();
    const informer = new SharedInformer(this.o.client, R.pods, { fieldSelector: `spec.nodeName=${this.name}`, clock: this.clock, log: this.log });
    this.informer = informer;
    informer.addEventHandler({
      onAdd: (pod) => this.podChanged(pod),
      onUpdate: (_old, pod) => this.podChanged(pod),
      onDelete: (pod) => this.workers.get(pod.metadata.uid ?? '')?.deleted(),
    });
    informer.start();
    await informer.waitForSync();
  }

  /** Stops watching and kills every container (the node goes away; the API is left as it is). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.heartbeat.stop();
    await this.informer?.stop();
    for (const h of this.configHandlers) h.remove();
    this.configHandlers = [];
    if (this.ownConfigInformers && this.configObjects) await Promise.all([this.configObjects.configMaps.stop(), this.configObjects.secrets.stop()]);
    for (const w of this.workers.values()) w.shutdown();
    this.workers.clear();
    this.hostNetwork?.close();
  }

  /** The worker of a pod (tests and log serving). */
  worker(uid: string): PodWorker | undefined {
    return this.workers.get(uid);
  }

  get podCount(): number {
    return this.workers.size;
  }

  private preloadImages(node: KubeObject | undefined): void {
    const images = ((node?.status ?? {}) as { images?: { names?: string[] }[] }).images ?? [];
    const known: ImageInfo[] = [];
    for (const img of images) {
      const ref = img.names?.find((n) => !n.includes('@'));
      if (!ref) continue;
      const l = this.o.runtime.lookup(ref);
      if (l.ok) known.push(l.image);
    }
    this.images.preload(known);
  }

  private podChanged(pod: KubeObject): void {
    if (this.stopped) return;
    const uid = pod.metadata.uid ?? '';
    let w = this.workers.get(uid);
    if (!w) {
      w = new PodWorker(pod, this.workerDeps());
      this.workers.set(uid, w);
    }
    w.update(pod);
  }

  private deps?: PodWorkerDeps;

  /** What every pod worker of this kubelet uses: one object for all of them (10 000 pods). */
  private workerDeps(): PodWorkerDeps {
    return (this.deps ??= {
      nodeName: this.name,
      hostIP: this.hostIP,
      dataDir: this.o.dataDir,
      fast: this.o.fast === true,
      clock: this.clock,
      runtime: this.o.runtime,
      images: this.images,
      ips: this.ips,
      crashBackoff: this.crashBackoff,
      env: this.envSources(),
      volumes: this.volumes,
      network: this.o.network,
      hostNetwork: this.hostNetwork,
      clusterDns: this.o.clusterDns,
      client: this.o.client,
      recorder: this.recorder,
      log: this.log,
      volumeRefs: (id, refs) => this.indexRefs(id, refs),
      onFinished: (id) => {
        this.workers.delete(id);
        this.indexRefs(id, new Set());
      },
    });
  }

  private envSources(): EnvSources {
    return {
      configMap: (ns, name) => this.configObject('configmap', ns, name),
      secret: (ns, name) => this.configObject('secret', ns, name),
      services: this.o.services,
    };
  }

  // --- ConfigMaps and Secrets (the kubelet's watch-based manager) -----------------------------

  private async watchConfigObjects(): Promise<void> {
    if (!this.o.configObjects) {
      const opts = { clock: this.clock, log: this.log };
      this.configObjects = { configMaps: new SharedInformer(this.o.client, R.configmaps, opts), secrets: new SharedInformer(this.o.client, R.secrets, opts) };
      this.ownConfigInformers = true;
    } else this.configObjects = this.o.configObjects;
    const { configMaps, secrets } = this.configObjects;
    const handler = (kind: string) => {
      const changed = (obj: KubeObject) => this.configChanged(`${kind}/${obj.metadata.namespace}/${obj.metadata.name}`);
      return { onAdd: changed, onUpdate: (_o: KubeObject, n: KubeObject) => changed(n), onDelete: changed };
    };
    this.configHandlers = [configMaps.addEventHandler(handler('configmap')), secrets.addEventHandler(handler('secret'))];
    if (this.ownConfigInformers) {
      configMaps.start();
      secrets.start();
    }
    await Promise.all([configMaps.waitForSync(), secrets.waitForSync()]);
  }

  /** From the cache; one the cache has not seen (yet) is asked of the API server. */
  private async configObject(kind: 'configmap' | 'secret', ns: string, name: string): Promise<KubeObject | undefined> {
    const informer = kind === 'configmap' ? this.configObjects?.configMaps : this.configObjects?.secrets;
    const cached = informer?.get(ns, name);
    if (cached) return cached;
    return this.o.client.tryGet(kind === 'configmap' ? R.configmaps : R.secrets, ns, name);
  }

  private indexRefs(uid: string, refs: ReadonlySet<string>): void {
    for (const key of this.podRefs.get(uid) ?? []) {
      const set = this.refIndex.get(key);
      set?.delete(uid);
      if (set?.size === 0) this.refIndex.delete(key);
    }
    if (refs.size === 0) {
      this.podRefs.delete(uid);
      return;
    }
    this.podRefs.set(uid, refs);
    for (const key of refs) {
      let set = this.refIndex.get(key);
      if (!set) this.refIndex.set(key, (set = new Set()));
      set.add(uid);
    }
  }

  /** A ConfigMap/Secret changed: the pods showing it get their volume files rewritten. */
  private configChanged(key: string): void {
    for (const uid of this.refIndex.get(key) ?? []) this.workers.get(uid)?.refreshVolumes();
  }

  /** A new image on the node: post it in the node status (coalesced). */
  private imagesChanged(): void {
    if (this.nodeStatusPending || this.stopped || this.o.heartbeat === false) return;
    this.nodeStatusPending = true;
    setImmediate(() => {
      this.nodeStatusPending = false;
      if (this.stopped) return;
      this.heartbeat.postStatus().catch((e: unknown) => this.log(`node ${this.name}: status update failed: ${describe(e)}`));
    });
  }

  /** Resource usage of the node and its running containers (`/metrics/resource`, for metrics.k8s.io; kubelet/usage.ts). */
  usage(): NodeUsage {
    return kubeletUsage(this, this.o.node, this.clock, this.workers.values());
  }

  /** The worker of a pod named in a request (by uid, else by namespace/name). */
  private workerFor(req: { uid: string; namespace: string; pod: string }): PodWorker | undefined {
    return this.workers.get(req.uid) ?? [...this.workers.values()].find((x) => x.pod.metadata.namespace === req.namespace && x.pod.metadata.name === req.pod);
  }

  // --- /exec, /attach, /portForward ----------------------------------------------------------

  /** `pods/exec`: a process in the running container (GetExec: `container not found ("x")` otherwise). */
  async exec(req: ContainerStreamRequest): Promise<ContainerStream> {
    const rec = this.workerFor(req)?.record(req.container);
    const proc = rec?.running ? rec.current?.process : undefined;
    if (!proc) throw new StatusError(500, 'InternalError', `container not found (${JSON.stringify(req.container)})`);
    return execSession(proc, req);
  }

  /** `pods/attach`: the running main process's streams (GetAttach's texts otherwise). */
  async attach(req: ContainerStreamRequest): Promise<ContainerStream> {
    const rec = this.workerFor(req)?.record(req.container);
    const attempt = rec?.running ? rec.current : undefined;
    if (!rec || !attempt?.process) throw new StatusError(500, 'InternalError', `container ${req.container} not found in pod ${req.pod}_${req.namespace}`);
    return attachSession({ attempt, process: attempt.process, spec: rec.spec }, req);
  }

  /** `pods/portforward`: a stream to localhost:<port> in the pod's network namespace. */
  async portForward(req: PortForwardRequest): Promise<Duplex> {
    const w = this.workerFor(req);
    if (!w?.sb.net) throw new Error(`pod not found (${JSON.stringify(`${req.pod}_${req.namespace}`)})`);
    return forwardPort(w.sb, req.port);
  }

  // --- /containerLogs ----------------------------------------------------------------------

  /** The log stream of one container, chosen as upstream's validateContainerLogStatus does. */
  async containerLogs(req: ContainerLogRequest): Promise<LogByteStream> {
    const w = this.workerFor(req);
    if (!w) throw new StatusError(404, 'NotFound', `pod "${req.pod}" does not exist`);
    const rec = w.record(req.container);
    if (!rec) throw badRequest(`container "${req.container}" in pod "${req.pod}" is not available`);
    const cur = rec.current;
    const lastState = rec.waiting && !rec.running && cur?.terminated ? cur.terminated : rec.previous;
    const path = (restartCount: number) => containerLogPath(this.o.dataDir, req.namespace, req.pod, w.uid, req.container, restartCount);
    if (req.options.previous) {
      if (!lastState) throw badRequest(`previous terminated container "${req.container}" in pod "${req.pod}" not found`);
      return serveLog(path(lastState.restartCount), undefined, req.options);
    }
    if (cur && !cur.terminated) return serveLog(path(cur.restartCount), cur.log, req.options);
    if (cur?.terminated && !rec.waiting) return serveLog(path(cur.restartCount), undefined, req.options);
    if (lastState) return serveLog(path(lastState.restartCount), undefined, req.options);
    const reason = rec.waiting?.reason ?? 'ContainerCreating';
    if (reason === 'ErrImagePull') throw badRequest(`container "${req.container}" in pod "${req.pod}" is waiting to start: image can't be pulled`);
    if (reason === 'ImagePullBackOff') throw badRequest(`container "${req.container}" in pod "${req.pod}" is waiting to start: trying and failing to pull image`);
    throw badRequest(`container "${req.container}" in pod "${req.pod}" is waiting to start: ${reason}`);
  }
}

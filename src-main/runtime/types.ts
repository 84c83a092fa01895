/**
 * The contract between a kubelet and the container runtime (containerd's job in a real node).
 * The kubelet decides *when* (pulls, starts, kills, back-offs, log files, status); the runtime
 * knows *what* an image is and runs a container's program in-process.
 */
import type { Clock } from '../client/clock';
import type { FileSystem } from './vfs';
import type { HttpRequest, HttpResponse, Listener, RespValue } from './program';
import type { ClusterDnsZone, PodNetwork } from '../network/types';

export type { FileSystem } from './vfs';
export type { Listener, HttpRequest, HttpResponse, HttpHandler, RespValue, RespHandler } from './program';

/** A volume mounted into a container (the kubelet builds `fs`, e.g. `createEmptyDir()` for emptyDir). */
export interface VolumeMount {
  /** `volumeMounts[].mountPath`. */
  mountPath: string;
  fs: FileSystem;
  /** A sub-directory of the volume (`subPath`). */
  subPath?: string;
  readOnly?: boolean;
}

/** What a registry knows about one image tag (the catalog's answer). */
export interface ImageInfo {
  /** The reference as written in the pod spec: `nginx`, `luksa/kubia:1.0`, `busybox:1.36`. */
  requested: string;
  /** Fully qualified name with tag: `docker.io/library/nginx:latest` (containerStatuses[].image). */
  ref: string;
  /** `docker.io/library/nginx@sha256:<64 hex>` (containerStatuses[].imageID and node.status.images names). */
  imageID: string;
  /** Compressed size, as the `Pulled` event and node.status.images report it. */
  sizeBytes: number;
  /** The image config's ENTRYPOINT and CMD (either may be empty). */
  entrypoint: string[];
  cmd: string[];
  /** The image config's WorkingDir ('' = `/`). */
  workingDir: string;
  /** The image config's Env, `KEY=value`. */
  env: string[];
  /** The image config's ExposedPorts, e.g. `80/tcp`. */
  exposedPorts: string[];
  /**
   * True when the image is not in the simulated catalog: it runs a generic responder and the
   * kubelet should say so in a Warning event.
   */
  generic?: boolean;
}

/** The answer to a pull: the image, or the registry's refusal with the upstream error text. */
export type ImageLookup =
  | { ok: true; image: ImageInfo }
  /**
   * `message` is what follows `Failed to pull image "<requested>": ` in the kubelet's event, e.g.
   * `rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:nope": failed to resolve reference "docker.io/library/nginx:nope": docker.io/library/nginx:nope: not found`.
   */
  | {
      ok: false;
      message: string;
      /** Set when the reference itself cannot be parsed (upstream's `InvalidImageName`, no pull is attempted). */
      invalidName?: boolean;
    };

export interface EnvVar {
  name: string;
  value: string;
}

/** Everything the runtime needs to start one container (the kubelet resolves env and command). */
export interface ContainerConfig {
  /** Container ID (64 hex chars); `containerd://<id>` in the pod status. */
  id: string;
  /** The container's name in the pod spec. */
  name: string;
  image: ImageInfo;
  /** From the pod spec; undefined means "use the image's ENTRYPOINT / CMD" as upstream. */
  command?: string[];
  args?: string[];
  /** Resolved environment (pod spec env after $(VAR) expansion, plus the service env vars). */
  env: EnvVar[];
  workingDir?: string;
  tty: boolean;
  stdin: boolean;
  pod: {
    namespace: string;
    name: string;
    uid: string;
    /**
     * The hostname the containers see (UTS namespace): `spec.hostname` or the pod name, the FQDN
     * with `setHostnameAsFQDN`, the node's name for hostNetwork pods.
     */
    hostname: string;
    nodeName: string;
    podIP?: string;
  };
  /** `/etc/hosts` as the kubelet wrote it (absent: a managed file with `podIP` and `hostname`). */
  etcHosts?: string;
  /** `/etc/resolv.conf` for the pod's dnsPolicy (absent: ClusterFirst's for `pod.namespace`). */
  resolvConf?: string;
  /** The container's declared ports (`ports[]` of the spec): generic images answer on them. */
  ports?: { containerPort: number; protocol?: 'TCP' | 'UDP' | 'SCTP'; name?: string }[];
  /** Volumes, mounted over the image's files (shared `fs` objects share their files between containers). */
  mounts?: VolumeMount[];
  /**
   * The pod's network namespace (shared by its containers), created by the kubelet with the
   * sandbox. Programs' `listen` binds here and their HTTP/RESP servers speak the real protocols
   * over its sockets; outbound HTTP/RESP/DNS connect through it. Without it (unit tests) programs
   * only reach their own container's listeners.
   */
  net?: PodNetwork;
  /**
   * The cluster's DNS zone, for the CoreDNS image's program (the kubernetes plugin's view).
   * Every container may receive it; only a DNS server uses it.
   */
  clusterDns?: ClusterDnsZone;
  /** @deprecated replaced by `net` (the runtime's own HTTP client over the pod's sockets). */
  httpClient?(url: string, req: HttpRequest): Promise<HttpResponse>;
  /** @deprecated replaced by the runtime's resolver over `net` (DNS queries to /etc/resolv.conf's nameserver). */
  dnsClient?: DnsClient;
  /** @deprecated replaced by the runtime's RESP client over `net`. */
  respClient?(host: string, port: number, args: string[]): Promise<RespValue>;
  /** Memory limit in bytes, if any (exceeding it ends the container with OOMKilled, exit 137). */
  memoryLimitBytes?: number;
  /** The cluster clock: sleeps and timestamps go through it. */
  clock: Clock;
  /** Output as it is produced; the kubelet writes it to the container's log file. */
  stdout(chunk: string): void;
  stderr(chunk: string): void;
}

/** How a container's main process ended, as `state.terminated` reports it. */
export interface ContainerExit {
  exitCode: number;
  /** Default: `Completed` for exit 0, otherwise `Error`. `StartError` when the program could not start. */
  reason?: 'Completed' | 'Error' | 'OOMKilled' | 'StartError' | 'ContainerCannotRun';
  /** Upstream's termination message for StartError, e.g. `failed to create containerd task: …`. */
  message?: string;
  /** The signal that killed it, if any. */
  signal?: 'SIGTERM' | 'SIGKILL' | 'SIGINT';
}

/** One running container. */
export interface ContainerProcess {
  readonly id: string;
  /** Settles once, when the main process has ended (never rejects). */
  readonly exited: Promise<ContainerExit>;
  /**
   * Delivers a signal. SIGKILL always ends the container at once (exit 137). SIGTERM runs the
   * program's handler (shell `trap`, nginx graceful quit) or, with none, ends it like upstream.
   */
  signal(sig: 'SIGTERM' | 'SIGKILL' | 'SIGINT'): void;
  /**
   * Simulated resource use right now (for metrics and the UI): CPU now (baseline, busy loops, and
   * a request-rate part: each HTTP request / RESP command served adds a little, decaying over
   * ~10 s) and, when given, the cumulative CPU time since the container started.
   */
  usage?(): { cpuMillicores: number; memoryBytes: number; cpuCoreNanoseconds?: number };
  /**
   * Runs a command inside the running container (exec probes, `kubectl exec`) with the
   * container's environment and working directory. Resolves with its exit code; 127 (with runc's
   * message on stderr) when the executable is missing, 126 when the container is not running.
   */
  exec?(argv: string[], io: ExecIO): Promise<number>;
  /** The sockets the container's programs listen on, with their HTTP handlers (network layer). */
  listeners?(): Listener[];
  /** `kubectl exec -i[t]`: input streamed as typed; with `tty` the runtime is the terminal (echo, `\r\n`). */
  execInteractive?(
    argv: string[],
    io: {
      tty: boolean;
      /** Text, or (non-tty sessions) the exact bytes a program wrote (a Buffer: `cat`, `tar` of binary files). */
      stdout(chunk: string | Uint8Array): void;
      stderr(chunk: string | Uint8Array): void;
      /** Optional back-pressure from the client: pending while its connection is full (writers wait). */
      drain?(): Promise<void> | undefined;
    },
  ): ExecSession;
  /** Feeds the main process's stdin (`stdin: true` containers, `kubectl attach`); `closeStdin` sends EOF. */
  writeStdin?(chunk: string): void;
  closeStdin?(): void;
  /** The attached terminal's size changed (tty containers, `kubectl attach -t`/`run -it`): `stty size`, `$COLUMNS`/`$LINES`. */
  resize?(cols: number, rows: number): void;
}

export interface DnsClient {
  /**
   * Resolves `name` as a pod's resolver would (trying `search` domains per ndots): the name that
   * answered and its addresses, or undefined (NXDOMAIN).
   */
  lookup(name: string, search: string[]): Promise<{ fqdn: string; addresses: string[] } | undefined>;
  /** The PTR name of an address (`10.96.0.10` → `kube-dns.kube-system.svc.cluster.local`). */
  reverse(ip: string): Promise<string | undefined>;
  /**
   * SRV records of `name` as node's `dns.resolveSrv` gives them (a headless service's FQDN: one
   * record per ready pod, `kubia-0.kubia.default.svc.cluster.local`), or undefined when the name
   * does not exist. Optional: the luksa/kubia-pet-peers image discovers its peers with it.
   */
  srv?(name: string): Promise<{ name: string; port: number; priority: number; weight: number }[] | undefined>;
}

export interface ExecSession {
  /** Keystrokes (tty) or piped input: text, or bytes the program reads exactly (`cat > f`, `tar x`). */
  write(chunk: string | Uint8Array): void;
  /** The terminal's size changed (tty sessions: `$COLUMNS`/`$LINES`, `stty size`). */
  resize?(cols: number, rows: number): void;
  /** Kills the exec'd process (the client went away). */
  kill?(): void;
  /** End of input. */
  close(): void;
  /** The process's exit code (127 when the executable is missing). */
  readonly exited: Promise<number>;
}

export interface ExecIO {
  /** Text for the command's stdin (none: end of file at once). */
  stdin?: string;
  stdout(chunk: string): void;
  stderr(chunk: string): void;
}

export interface ContainerRuntime {
  /** What the registry answers for `image` (pure lookup in the image catalog). */
  lookup(image: string): ImageLookup;
  /** How long pulling this image takes on a typical connection, in ms (before the cluster's time scale). */
  pullDurationMs(image: ImageInfo): number;
  /** Starts the container's program; failures to start come back through `exited`. */
  start(config: ContainerConfig): ContainerProcess;
}

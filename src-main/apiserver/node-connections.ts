/**
 * How the API server reaches a node's kubelet (upstream: the kubelet's HTTPS port 10250) without
 * importing kubelet code: each kubelet registers itself here under its node name when the cluster
 * starts, and the `pods/log` subresource asks it for a container's log stream.
 */
import { StatusError } from '../api/errors';

/** PodLogOptions after validation (the kubelet's `/containerLogs/<ns>/<pod>/<container>` query). */
export interface PodLogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  /** Only lines at or after this time (epoch ms; from sinceSeconds or sinceTime). */
  sinceMs?: number;
}

export interface ContainerLogRequest {
  namespace: string;
  pod: string;
  uid: string;
  container: string;
  options: PodLogOptions;
}

/** Bytes pushed as they come until the end (or `close()` by the reader). */
export interface ByteStream {
  /** Registers the consumer; chunks that arrived before are delivered at once. */
  onData(cb: (chunk: string) => void): void;
  /** Called once after the last chunk (also after `close()`). */
  onEnd(cb: () => void): void;
  close(): void;
}

/** `pods/exec` (command set) and `pods/attach` (command empty) after validation. */
export interface ContainerStreamRequest {
  namespace: string;
  pod: string;
  uid: string;
  container: string;
  /** exec only: argv (`kubectl exec … -- cmd args`). Empty for attach. */
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/**
 * How an exec/attach session ended, as the protocols report it on the error channel: exit 0 →
 * Success; `exitCode` ≠ 0 → Failure, reason NonZeroExitCode, `command terminated with exit code N`;
 * `error` → Failure with that message (InternalError), e.g. a missing executable:
 * `failed to exec in container: failed to start exec "<id>": OCI runtime exec failed: exec failed:
 * unable to start container process: exec: "foo": executable file not found in $PATH: unknown`.
 */
export type ContainerStreamExit = { exitCode: number } | { error: string };

/** A running exec/attach session on the kubelet. */
export interface ContainerStream {
  /** Output as the process writes it (tty sessions: everything comes on stdout). */
  onStdout(cb: (chunk: Buffer) => void): void;
  onStderr(cb: (chunk: Buffer) => void): void;
  writeStdin(chunk: Buffer): void;
  /** End of input (Ctrl-D on a non-tty stream, or the client closed stdin). */
  closeStdin(): void;
  /** Terminal size (tty sessions). */
  resize(cols: number, rows: number): void;
  /** Settles once, after the last output chunk has been delivered. */
  readonly exited: Promise<ContainerStreamExit>;
  /** The client went away: exec kills its process (SIGKILL); attach just detaches. */
  close(): void;
  /**
   * Optional flow control: the client's connection is full, hold output back (the process blocks
   * on its writes as it would on a full pipe) until `resumeOutput()`.
   */
  pauseOutput?(): void;
  resumeOutput?(): void;
}

/** A pod's port, reached from inside its network namespace (`localhost:<port>`), for port-forward. */
export interface PortForwardRequest {
  namespace: string;
  pod: string;
  uid: string;
  port: number;
}

/** One container's resource use now (the kubelet's /metrics/resource, for metrics.k8s.io). */
export interface ContainerUsage {
  name: string;
  /** Cumulative CPU time in core-nanoseconds (rates come from two samples). */
  cpuCoreNanoseconds: number;
  /** Current rate in millicores (simulated: idle baseline + work done). */
  cpuMillicores: number;
  /** Working set bytes. */
  memoryBytes: number;
  /** When this container started (epoch ms, cluster clock); its cumulative CPU counts from then. */
  startedAt?: number;
}

export interface PodUsage {
  namespace: string;
  name: string;
  uid: string;
  containers: ContainerUsage[];
}

export interface NodeUsage {
  /** When the sample was taken (cluster clock, epoch ms). */
  timestamp: number;
  cpuCoreNanoseconds: number;
  cpuMillicores: number;
  memoryBytes: number;
  /** When the node (its kubelet) started (epoch ms); the node's cumulative CPU counts from then. */
  startTime?: number;
  pods: PodUsage[];
}

/** What one kubelet serves to the API server. Errors are StatusErrors (the kubelet's 400s). */
export interface NodeConnection {
  containerLogs(req: ContainerLogRequest): Promise<ByteStream>;
  /** `pods/exec` and `pods/attach`; rejects with a StatusError (e.g. container not running). */
  exec?(req: ContainerStreamRequest): Promise<ContainerStream>;
  attach?(req: ContainerStreamRequest): Promise<ContainerStream>;
  /**
   * A TCP stream to `localhost:<port>` inside the pod; rejects with an Error whose message is the
   * kubelet's text for the error stream (nothing listening: `…failed to connect to localhost:80
   * inside namespace…connect: connection refused`).
   */
  portForward?(req: PortForwardRequest): Promise<import('node:stream').Duplex>;
  /** Resource usage of the node and its pods (for metrics.k8s.io). */
  usage?(): NodeUsage;
}

export interface NodeConnections {
  containerLogs(nodeName: string, req: ContainerLogRequest): Promise<ByteStream>;
  /** The registered kubelet of a node, if any (exec, attach, port-forward, usage). */
  node(nodeName: string): NodeConnection | undefined;
  /** Every registered node's connection. */
  all(): { nodeName: string; connection: NodeConnection }[];
}

/**
 * The API server's own route into the cluster network (upstream: the apiserver's dialer), for
 * `services/proxy` and `pods/proxy`. Set by cluster-start.
 */
export interface ClusterDialer {
  dial(host: string, port: number): Promise<import('node:stream').Duplex>;
}

/** The API server's table of kubelets, filled by cluster-start. */
export class NodeConnectionRegistry implements NodeConnections {
  private readonly nodes = new Map<string, NodeConnection>();

  register(nodeName: string, conn: NodeConnection): void {
    this.nodes.set(nodeName, conn);
  }

  unregister(nodeName: string, conn?: NodeConnection): void {
    if (!conn || this.nodes.get(nodeName) === conn) this.nodes.delete(nodeName);
  }

  node(nodeName: string): NodeConnection | undefined {
    return this.nodes.get(nodeName);
  }

  all(): { nodeName: string; connection: NodeConnection }[] {
    return [...this.nodes].map(([nodeName, connection]) => ({ nodeName, connection }));
  }

  containerLogs(nodeName: string, req: ContainerLogRequest): Promise<ByteStream> {
    const conn = this.nodes.get(nodeName);
    if (!conn) {
      // What the API server says when it cannot dial the node's kubelet.
      const path = `/containerLogs/${req.namespace}/${req.pod}/${req.container}`;
      return Promise.reject(new StatusError(500, 'InternalError', `Get "https://${nodeName}:10250${path}": dial tcp: lookup ${nodeName}: no such host`));
    }
    return conn.containerLogs(req);
  }
}

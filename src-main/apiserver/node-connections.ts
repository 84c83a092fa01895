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

/** What one kubelet serves to the API server. Errors are StatusErrors (the kubelet's 400s). */
export interface NodeConnection {
  containerLogs(req: ContainerLogRequest): Promise<ByteStream>;
}

export interface NodeConnections {
  containerLogs(nodeName: string, req: ContainerLogRequest): Promise<ByteStream>;
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

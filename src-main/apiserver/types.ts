/**
 * The transport-independent request/response the API server handles. The HTTPS listener turns
 * HTTP into an `ApiRequest`; the in-process client (src-main/client) builds them directly, so
 * controllers, the scheduler, kubelets and kubectl all go through the same handler pipeline.
 */
import type { KubeObject, UserInfo } from '../api/types';
import type { ByteStream } from './node-connections';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /** Path without query string, e.g. `/apis/apps/v1/namespaces/default/deployments/web/scale`. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. `accept`, `content-type` matter most. */
  headers: Record<string, string | undefined>;
  /** Raw body bytes (HTTP) or an already-parsed object (in-process client). */
  body?: Buffer | object;
  user: UserInfo;
  /** Aborted when the client goes away (ends watches and streams). */
  signal?: AbortSignal;
}

export interface WatchEventOut {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: unknown;
}

/** A watch as the handler returns it: events pushed as they happen until closed. */
export interface WatchStream {
  /** Registers the consumer; events buffered before this call are delivered at once. */
  onEvent(cb: (ev: WatchEventOut) => void): void;
  /** Called once when the server ends the watch (timeoutSeconds, shutdown, error). */
  onClose(cb: () => void): void;
  close(): void;
}

export type ApiResponse =
  | { type: 'object'; status: number; body: unknown; headers?: Record<string, string> }
  | { type: 'raw'; status: number; body: Buffer | string; contentType: string; headers?: Record<string, string> }
  | { type: 'watch'; status: 200; stream: WatchStream; contentType?: string }
  /** Bytes as they are produced (pods/log): written chunk by chunk until the stream ends. */
  | { type: 'stream'; status: 200; stream: ByteStream; contentType: string; headers?: Record<string, string> };

export type ApiHandler = (req: ApiRequest) => Promise<ApiResponse>;

/** The objects returned by list are `KubeObject`s; re-exported for convenience. */
export type { KubeObject };

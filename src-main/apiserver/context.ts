/**
 * What every request handler can reach: the store, the kinds, the allocators and the clock.
 * Built once per cluster by `createApiHandler`.
 */
import type { Store } from '../storage/types';
import type { Registry } from '../api/registry';
import type { ResourceDef } from '../api/resource';
import type { KubeObject } from '../api/types';
import type { ClusterDialer, NodeConnections } from './node-connections';
import type { ResourceMetricsSource } from './metrics/types';

export interface AdmissionAttributes {
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  def: ResourceDef;
  namespace: string;
  name: string;
  subresource: string;
  object: KubeObject | undefined;
  old: KubeObject | undefined;
  dryRun: boolean;
}

/**
 * An admission plugin: may mutate `object` (admit) and reject with a StatusError (validate).
 * `committed`/`aborted` let plugins that reserve resources (IP and port allocators) settle.
 */
export interface AdmissionPlugin {
  name: string;
  admit?(a: AdmissionAttributes, ctx: ServerContext): void;
  validate?(a: AdmissionAttributes, ctx: ServerContext): void;
  /** After the write succeeded (not called for dry runs). */
  committed?(a: AdmissionAttributes, ctx: ServerContext): void;
  /** The write failed or was a dry run: undo any reservation made in admit/validate. */
  aborted?(a: AdmissionAttributes, ctx: ServerContext): void;
}

export interface ServerContext {
  store: Store;
  registry: Registry;
  admission: AdmissionPlugin[];
  now(): Date;
  /** Version info served at /version. */
  version: VersionInfo;
  /** Optional OpenAPI routes (served under /openapi). */
  openapi?: (path: string, query: URLSearchParams, accept: string | undefined) =>
    | { status: number; contentType: string; body: Buffer | string; headers?: Record<string, string> }
    | undefined;
  /** Optional unknown-field finder for fieldValidation. */
  unknownFields?: (group: string, version: string, kind: string, obj: unknown) => string[];
  /** Drops unknown fields in place (after a Warn/Ignore check let them through). */
  pruneUnknownFields?: (group: string, version: string, kind: string, obj: unknown) => void;
  /** Called for every watch the server hands out, so shutdown can close them. */
  watches: Set<{ close(): void }>;
  /** The kubelets (pods/log); set by cluster-start, absent in API-only tests. */
  nodes?: NodeConnections;
  /** The API server's route into the cluster network (services/proxy, pods/proxy); set by cluster-start. */
  dialer?: ClusterDialer;
  /** metrics.k8s.io (the in-process metrics-server, src-main/metrics); set by cluster-start. Absent: the group is not served. */
  metrics?: ResourceMetricsSource;
}

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

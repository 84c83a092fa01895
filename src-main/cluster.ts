/**
 * One kubesim cluster: store, API server, bootstrap objects, nodes' heartbeats and the UI gateway.
 * Both the desktop app and `kubesim serve` build their cluster here, so tests exercise what users run.
 */
import type { ApiHandler } from './apiserver/types';

export interface ClusterOptions {
  /** Folder for the SQLite database, the PKI and volumes. */
  dataDir: string;
  /** HTTPS API port on 127.0.0.1; 0 picks a free port. Default 0. */
  apiPort?: number;
  /** UI gateway port on 127.0.0.1; 0 picks a free port. Default 0. */
  uiPort?: number;
  /** Number of worker nodes (besides the control plane). Default 2. */
  nodes?: number;
  /** Immediate image pulls and container starts. */
  fast?: boolean;
  /** How much faster than wall time the cluster clock runs (back-offs, sleeps, grace periods). Default 1. */
  timeScale?: number;
  /** Folder with the built renderer (index.html and assets) the UI gateway serves. */
  rendererDir?: string;
  /** Offer the UI's host terminal: a shell with KUBECONFIG=kubeconfigPath (`serve --host-terminal`). */
  hostTerminal?: { kubeconfigPath: string };
  /** Log lines (warnings, startup). Default: none. */
  log?: (line: string) => void;
}

export interface Cluster {
  /** `https://127.0.0.1:PORT` */
  apiUrl: string;
  /** `http://127.0.0.1:PORT/…` the UI, including its session secret. */
  uiUrl: string;
  /** Bearer token of the cluster admin (what the kubeconfig carries). */
  token: string;
  /** PEM of the cluster CA (certificate-authority-data). */
  caCertPem: string;
  /** The in-process API: every component's requests go through it. */
  handler: ApiHandler;
  /** Stops listeners, controllers and heartbeats, then closes the store. Idempotent. */
  stop(): Promise<void>;
}

export { startCluster } from './cluster-start';

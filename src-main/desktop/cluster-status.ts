/**
 * The cluster's status as the tray, the menu and the Settings page show it, derived from what the
 * `kubesim serve` process does: spawned → starting; `API server:` line → the URL; `ready` → ready;
 * exit before ready or without being asked → error (with serve's last `kubesim:` line); a stop we
 * asked for → stopping, then stopped. Pure.
 */
import type { ClusterStatus } from '../shared/ipc';

export type ClusterEvent =
  | { type: 'spawn' }
  | { type: 'stdout'; line: string }
  | { type: 'stderr'; line: string }
  | { type: 'stopping' }
  | { type: 'exit'; code: number; requested: boolean }
  | { type: 'failed'; message: string };

export const INITIAL_STATUS: ClusterStatus = { state: 'stopped', message: 'The cluster is not running', apiUrl: null };

/** serve's diagnostics on stderr start with this; its last one explains an early exit. */
const DIAG = /^kubesim: (.+)$/;

export interface StatusTracker {
  status: ClusterStatus;
  /** The last `kubesim: …` line on stderr (why serve failed). */
  lastDiagnostic?: string;
}

export function initialTracker(): StatusTracker {
  return { status: INITIAL_STATUS };
}

export function nextStatus(t: StatusTracker, e: ClusterEvent): StatusTracker {
  const s = t.status;
  switch (e.type) {
    case 'spawn':
      return { status: { state: 'starting', message: 'Starting the cluster…', apiUrl: null } };
    case 'stdout': {
      const line = e.line.trim();
      const api = /^API server:\s*(https:\/\/\S+)/.exec(line);
      if (api && s.state === 'starting') return { ...t, status: { ...s, apiUrl: api[1] } };
      if (line === 'ready' && s.state === 'starting') return { ...t, status: { state: 'ready', message: 'The cluster is running', apiUrl: s.apiUrl } };
      return t;
    }
    case 'stderr': {
      const m = DIAG.exec(e.line.trim());
      return m ? { ...t, lastDiagnostic: m[1] } : t;
    }
    case 'stopping':
      return s.state === 'stopped' || s.state === 'error' ? t : { ...t, status: { ...s, state: 'stopping', message: 'Stopping the cluster…' } };
    case 'exit': {
      if (e.requested) return { ...t, status: { state: 'stopped', message: e.code === 0 ? 'The cluster stopped' : `The cluster stopped (exit code ${e.code})`, apiUrl: null } };
      const why = t.lastDiagnostic ? `: ${t.lastDiagnostic}` : '';
      const message = s.state === 'starting' ? `The cluster could not start (exit code ${e.code})${why}` : `The cluster stopped unexpectedly (exit code ${e.code})${why}`;
      return { ...t, status: { state: 'error', message, apiUrl: null } };
    }
    case 'failed':
      return { ...t, status: { state: 'error', message: e.message, apiUrl: null } };
  }
}

const LABELS: Record<ClusterStatus['state'], string> = {
  starting: 'Cluster starting…',
  ready: 'Cluster ready',
  stopping: 'Cluster stopping…',
  stopped: 'Cluster stopped',
  error: 'Cluster error',
};

/** The tray's tooltip and the first (disabled) line of its menu. */
export function statusLabel(s: ClusterStatus): string {
  return LABELS[s.state];
}

export function statusTooltip(s: ClusterStatus): string {
  const detail = s.state === 'ready' && s.apiUrl ? `API server ${s.apiUrl}` : s.message;
  return `kubesim — ${LABELS[s.state]}\n${detail}`.slice(0, 127);
}
